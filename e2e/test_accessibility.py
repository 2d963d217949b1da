"""Every page passes axe-core with no serious or critical violation, in light and dark mode.

axe-core comes from the frontend's own devDependencies (pinned in frontend/package.json) and
is injected into the page, so the scan sees exactly what a student's browser renders.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import User, api_json, log_in, run_every_experiment
from playwright.sync_api import Page, expect

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}

# JavaScript run in the page: the violations, trimmed to what a failure message needs.
RUN_AXE = """async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


def blocking_violations(page: Page) -> list[dict]:
    """Run axe on the current page; return the serious and critical violations."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` in frontend/ first.", pytrace=False)
    # Evaluated through DevTools, not added as a <script> tag: the page's CSP (script-src 'self')
    # refuses inline scripts, and conftest.py fails any test that provokes a CSP violation.
    page.evaluate(AXE.read_text())
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


def check(page: Page) -> None:
    # Wait for the page itself (lazy pages show "Loading..." first), then scan.
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    violations = blocking_violations(page)
    assert violations == [], f"{page.url}: {violations}"


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest, page: Page) -> str:
    """Both colour schemes: the stylesheet has a palette for each, and both must pass."""
    page.emulate_media(color_scheme=request.param)
    return request.param


@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/how-it-works", "/no/such/page"])
def test_public_pages_pass_axe(page: Page, scheme: str, path: str) -> None:
    page.goto(path)
    check(page)


def test_logged_in_pages_pass_axe(page: Page, scheme: str, user: User) -> None:
    page.goto("/login")
    log_in(page, user.username, user.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text(user.username)
    check(page)  # /private

    page.goto("/how-it-works")
    expect(page.get_by_text("Live: these are your own requests")).to_be_visible()
    check(page)

    page.goto("/lab")
    run_every_experiment(page)
    check(page)

    page.goto("/classroom")  # a student: the 403 page
    expect(page.get_by_role("alert")).to_contain_text("403 Forbidden")
    check(page)


def test_classroom_passes_axe(page: Page, scheme: str, base_url: str, user: User) -> None:
    # The teacher's table, with a student's session in it (and its End session button).
    status, body = api_json(
        base_url, "POST", "/api/token", {"username": user.username, "password": user.password}
    )
    assert status == 200, body
    page.goto("/login")
    log_in(page, "teacher", "teacher1234")
    expect(page).to_have_url(base_url + "/private")
    page.goto("/classroom")
    sessions = page.get_by_role("region", name="Class sessions")
    expect(sessions.get_by_role("row").filter(has_text=user.username).first).to_be_visible()
    check(page)


def test_larger_text_passes_axe(page: Page, user: User) -> None:
    page.goto("/login")
    log_in(page, user.username, user.password)
    page.goto("/lab")
    toggle = page.get_by_role("button", name="Larger text")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    check(page)
