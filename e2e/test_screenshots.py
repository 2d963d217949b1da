"""README screenshots, taken from the real app so they never go stale: `make screenshots`.

Marked `screenshots`, which the normal run leaves out (see pyproject.toml); run them with
`pytest -m screenshots`. They write docs/screenshots/{login,private,lab,how-it-works,classroom}.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import api_json, log_in
from playwright.sync_api import Page, expect

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

pytestmark = pytest.mark.screenshots


@pytest.fixture
def shot(page: Page) -> Callable[[str], None]:
    """A 1280x800 page (a projector's size) and a function that saves one screenshot."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(color_scheme="light")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(name: str) -> None:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000, f"{path} looks empty"

    return save


def test_screenshots(page: Page, base_url: str, shot: Callable[[str], None]) -> None:
    page.goto("/login")
    expect(page.get_by_role("region", name="Demo accounts")).to_be_visible()
    page.get_by_role("button", name="Fill in demo").click()
    shot("login")

    log_in(page, "demo", "demo1234")
    expect(page).to_have_url(base_url + "/private")
    expect(page.get_by_role("heading", name="Welcome, demo")).to_be_visible()
    shot("private")

    page.get_by_role("link", name="Lab").click()
    # The Token inspector from its top: the countdown and the token in its three colours.
    expect(page.get_by_role("timer")).to_contain_text("expires in")
    page.get_by_role("region", name="Token inspector").evaluate("el => el.scrollIntoView()")
    shot("lab")

    page.get_by_role("link", name="How it works").click()
    expect(page.get_by_text("Live: these are your own requests")).to_be_visible()
    shot("how-it-works")


def test_classroom_screenshot(page: Page, base_url: str, shot: Callable[[str], None]) -> None:
    # A class in progress: two students logged in (one of them has already logged out again).
    for username, password in [("demo", "demo1234"), ("student", "student1234")]:
        status, body = api_json(
            base_url, "POST", "/api/token", {"username": username, "password": password}
        )
        assert status == 200, body
    api_json(base_url, "POST", "/api/logout", {}, token=body["token"])

    page.goto("/login")
    log_in(page, "teacher", "teacher1234")
    expect(page).to_have_url(base_url + "/private")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Classroom").click()
    sessions = page.get_by_role("region", name="Class sessions")
    expect(sessions.get_by_role("row").filter(has_text="logged out")).to_have_count(1)
    expect(sessions.get_by_role("row").filter(has_text="Your session")).to_have_count(1)
    # From the page's heading down: the explanation, then the table.
    page.get_by_role("heading", level=1).evaluate("el => el.scrollIntoView()")
    shot("classroom")
