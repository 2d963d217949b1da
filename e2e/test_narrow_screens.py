"""No page scrolls sideways on a phone: every route, 320 and 390 CSS pixels wide.

A page wider than the screen makes the reader pan left and right for every line. Wide content
(tables, code) may scroll inside its own box; the page itself must not. Each route is visited as
someone who may see it: logged out for the public pages, as the teacher for the rest (the
teacher sees /classroom's table, with a student's session in it); and once more with the
header's "Larger text" on, which a phone user may well choose.
"""

from __future__ import annotations

import pytest
from helpers import User, api_json, log_in, run_every_experiment
from playwright.sync_api import Page, expect

# (window width in CSS pixels, "Larger text" on)
SCREENS = [(320, False), (390, False), (320, True), (390, True)]
PUBLIC = ["/", "/login", "/signup", "/how-it-works"]
TEACHER, TEACHER_PASSWORD = "teacher", "teacher1234"

# How wide the page is against how wide the window is (both in CSS pixels).
PAGE_WIDTH = "() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth })"


def expect_no_sideways_scroll(page: Page) -> None:
    # The page itself first (lazy pages show "Loading..." before their heading).
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    sizes = page.evaluate(PAGE_WIDTH)
    assert sizes["page"] <= sizes["window"], f"{page.url} scrolls sideways: {sizes}"


@pytest.fixture(
    params=SCREENS, ids=lambda screen: f"{screen[0]}px" + (" larger text" if screen[1] else "")
)
def phone(request: pytest.FixtureRequest, page: Page) -> Page:
    """The test's page in a window as wide as a small phone (with larger text, if asked)."""
    width, larger_text = request.param
    page.set_viewport_size({"width": width, "height": 740})
    if larger_text:
        page.goto("/")
        toggle = page.get_by_role("button", name="Larger text")
        toggle.click()  # remembered by this browser for every later page
        expect(toggle).to_have_attribute("aria-pressed", "true")
    return page


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_fit_a_phone(phone: Page, path: str) -> None:
    phone.goto(path)
    expect_no_sideways_scroll(phone)


def test_every_page_fits_a_phone_when_logged_in(phone: Page, base_url: str, user: User) -> None:
    # A student's session, so the teacher's table has a row with an "End session" button.
    status, body = api_json(
        base_url, "POST", "/api/token", {"username": user.username, "password": user.password}
    )
    assert status == 200, body
    phone.goto("/login")
    log_in(phone, TEACHER, TEACHER_PASSWORD)
    expect(phone).to_have_url(base_url + "/private")
    expect_no_sideways_scroll(phone)

    phone.goto("/lab")
    run_every_experiment(phone)
    expect_no_sideways_scroll(phone)

    phone.goto("/classroom")
    sessions = phone.get_by_role("region", name="Class sessions")
    expect(sessions.get_by_role("row").filter(has_text=user.username).first).to_be_visible()
    expect_no_sideways_scroll(phone)

    for path in PUBLIC:  # the same pages logged in show more (the header, live examples)
        phone.goto(path)
        expect_no_sideways_scroll(phone)
