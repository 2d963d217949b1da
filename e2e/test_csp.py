"""The Content-Security-Policy: the app works under it, and a violation would not go unseen.

Every test in this suite fails on a CSP violation in the browser console (the `context` fixture
in conftest.py); these tests check the policy itself and that the watcher really sees one.
"""

from __future__ import annotations

from helpers import ConsoleWatch, log_in
from playwright.sync_api import Page, expect


def test_the_spa_is_served_with_a_strict_policy_and_works_under_it(
    page: Page, base_url: str
) -> None:
    response = page.goto("/login")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy

    log_in(page, "demo", "demo1234")

    expect(page).to_have_url(base_url + "/private")
    expect(page.get_by_role("main").get_by_text("demo", exact=True)).to_be_visible()


def test_the_api_docs_page_works_under_its_policy(page: Page) -> None:
    response = page.goto("/api/docs")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]

    # Swagger UI read /api/openapi.json and lists the operations (OpenAPI 3.1 is understood).
    expect(page.get_by_role("heading", name="JWT Classroom API")).to_be_visible()
    expect(page.get_by_text("/api/protected", exact=True)).to_be_visible()
    expect(page.get_by_text("/api/token", exact=True)).to_be_visible()


def test_an_inline_script_is_refused_and_reported(page: Page, console_watch: ConsoleWatch) -> None:
    """The control: a violation does reach the watcher (so the other tests could fail)."""
    page.goto("/login")
    # Chromium says "Refused to execute inline script..." or, in newer versions, "Executing
    # inline script violates the following Content Security Policy directive...".
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.injected = true'; document.body.append(s); }"
        )
    assert page.evaluate("() => window.injected") is None  # it did not run
    assert any("inline" in line for line in console_watch.csp_violations)
    console_watch.csp_violations.clear()  # expected here: don't fail this test for it
