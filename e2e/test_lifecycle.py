"""The token lifecycle in the browser: short access tokens refreshed silently, a session that
really ends (expiry, logout, another tab, a password change).

The lesson's token lived until it expired, and the lesson has no logout. Here
the server decides: an expired access token is swapped for a new one with the HttpOnly refresh
cookie, and a logged-out token is refused even if someone kept a copy.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest
from helpers import (
    TOKEN_KEY,
    User,
    expect_private_page_for,
    log_in,
    sign_up,
    stored_token,
    token_claims,
)
from playwright.sync_api import Browser, Page, Response, expect

LOGIN_URL = re.compile(r"/login(\?.*)?$")
REFRESH_COOKIE = "refresh_token_cookie"  # flask-jwt-extended's name for it
CSRF_COOKIE = "csrf_refresh_token"
EXPIRY_NOTICE = "Your session expired, please log in again"

# How long a test may wait for a token to expire. The servers below hand out 3-second tokens;
# a token that lives longer means the setting did not apply, and waiting for it would only hide
# that.
MAX_WAIT_S = 10


@pytest.fixture(scope="module")
def short_access(start_server: Callable[..., str]) -> str:
    """A server whose access tokens live 3 seconds (the refresh token keeps its 7 days)."""
    return start_server(ACCESS_TOKEN_TTL="3")


@pytest.fixture(scope="module")
def short_session(start_server: Callable[..., str]) -> str:
    """A server whose access AND refresh tokens live 3 seconds: the whole session expires."""
    return start_server(ACCESS_TOKEN_TTL="3", REFRESH_TOKEN_TTL="3")


def wait_until_past(page: Page, exp: int) -> None:
    """Wait until the clock (the server's: same machine) is past a token's `exp` claim.

    Playwright's clock would only move the browser's time; the server checks `exp` against its
    own clock, so real time has to pass. The wait is computed from the token, and bounded.
    """
    remaining = exp - time.time()
    assert remaining <= MAX_WAIT_S, f"token still valid for {remaining:.0f}s: is the TTL set?"
    if remaining > 0:
        page.wait_for_timeout(remaining * 1000 + 250)


def token_left_behind(page: Page, base_url: str) -> str:
    """The token the app keeps in localStorage, read while its tabs show another page.

    The app replaces a token shortly before it expires, so the one stored when the tab left
    may be newer than the one the login gave.
    """
    for origin in page.context.storage_state()["origins"]:
        if origin["origin"] == base_url:
            for item in origin["localStorage"]:
                if item["name"] == TOKEN_KEY:
                    return item["value"]
    raise AssertionError(f"no token stored for {base_url}")


def expect_expired_at_server(page: Page, base_url: str, token: str) -> None:
    """Ask the API (outside the SPA) whether `token` has expired; it must say so."""
    answer = page.request.get(
        base_url + "/api/protected", headers={"Authorization": f"Bearer {token}"}
    )
    assert (answer.status, answer.json()["msg"]) == (401, "Token has expired")


def log_in_at(page: Page, base_url: str, user: User) -> str:
    """Log in through the form on `base_url`, land on /private, return the stored token."""
    page.goto(base_url + "/login")
    log_in(page, user.username, user.password)
    expect(page).to_have_url(base_url + "/private")
    expect_private_page_for(page, user.username, user.id)
    token = stored_token(page)
    assert token is not None
    return token


@pytest.fixture
def api_calls(page: Page) -> Iterator[list[tuple[str, str, int]]]:
    """Every /api/ response the page gets, as (method, path, status): the devtools network tab."""
    calls: list[tuple[str, str, int]] = []

    def record(response: Response) -> None:
        path = "/" + response.url.split("/", 3)[3]
        if path.startswith("/api/"):
            calls.append((response.request.method, path, response.status))

    page.on("response", record)
    yield calls
    page.remove_listener("response", record)


def is_refresh(base_url: str) -> Callable[[Response], bool]:
    return lambda response: (
        response.url == base_url + "/api/token/refresh" and response.request.method == "POST"
    )


# --- expiry -------------------------------------------------------------------------------------


def test_an_expired_access_token_is_refreshed_silently(
    page: Page, short_access: str, api_calls: list[tuple[str, str, int]]
) -> None:
    user = sign_up(short_access)
    log_in_at(page, short_access, user)
    # Away from the app while the token expires: an open tab replaces its token shortly
    # before it expires.
    page.goto("about:blank")
    old_token = token_left_behind(page, short_access)
    wait_until_past(page, token_claims(old_token)["exp"])
    expect_expired_at_server(page, short_access, old_token)
    api_calls.clear()

    with page.expect_response(is_refresh(short_access)) as refresh:
        page.goto(short_access + "/private")

    # The page still loads, as the same user, with a new token...
    assert refresh.value.status == 200
    expect(page).to_have_url(short_access + "/private")
    expect_private_page_for(page, user.username, user.id)
    new_token = stored_token(page)
    assert new_token is not None
    assert new_token != old_token
    # ... and the network shows how: refused, refreshed with the cookie, retried (what may come
    # next is the app replacing this 3-second token before it expires).
    assert api_calls[:3] == [
        ("GET", "/api/protected", 401),
        ("POST", "/api/token/refresh", 200),
        ("GET", "/api/protected", 200),
    ]


def test_two_tabs_waking_up_with_an_expired_token_both_stay_logged_in(
    page: Page, short_access: str
) -> None:
    # Both tabs share the refresh cookie. Refreshing at the same moment would present the same
    # refresh token twice, which the server must treat as theft (reuse revokes the session).
    # The tabs take turns instead: the second one uses the token the first one got, or, if that
    # has not reached its copy of localStorage yet, refreshes with the already rotated cookie.
    user = sign_up(short_access)
    log_in_at(page, short_access, user)
    other_tab = page.context.new_page()
    other_tab.goto(short_access + "/private")
    expect_private_page_for(other_tab, user.username, user.id)
    # Both away from the app while the token expires (an open tab would replace it shortly
    # before), both back at once.
    for tab in (page, other_tab):
        tab.goto("about:blank")
    token = token_left_behind(page, short_access)
    wait_until_past(page, token_claims(token)["exp"])

    refreshes: list[int] = []
    page.context.on(
        "response",
        lambda response: (
            refreshes.append(response.status) if is_refresh(short_access)(response) else None
        ),
    )
    # Both open the app at once (no waiting for the first to finish).
    for tab in (page, other_tab):
        tab.evaluate("url => { location.href = url; }", short_access + "/private")

    for tab in (page, other_tab):
        expect(tab).to_have_url(short_access + "/private")
        expect_private_page_for(tab, user.username, user.id)
    # One or two refreshes, but never two with the same cookie: none was refused as a reuse.
    assert refreshes
    assert all(status == 200 for status in refreshes), refreshes


def test_with_the_refresh_token_expired_too_the_student_lands_on_login(
    page: Page, short_session: str
) -> None:
    user = sign_up(short_session)
    log_in_at(page, short_session, user)
    page.goto("about:blank")  # away, so the tab refreshes nothing meanwhile
    token = token_left_behind(page, short_session)
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert REFRESH_COOKIE in cookies, "the login set no refresh cookie"
    refresh_exp = token_claims(cookies[REFRESH_COOKIE]["value"])["exp"]
    wait_until_past(page, max(refresh_exp, token_claims(token)["exp"]))

    with page.expect_response(is_refresh(short_session)) as refresh:
        page.goto(short_session + "/private")

    assert refresh.value.status == 401
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("alert")).to_have_text(EXPIRY_NOTICE)
    assert stored_token(page) is None


# --- the refresh cookie ---------------------------------------------------------------------------


def test_the_refresh_token_is_a_cookie_no_script_can_read(
    page: Page, base_url: str, user: User
) -> None:
    log_in_at(page, base_url, user)

    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    refresh = cookies[REFRESH_COOKIE]
    assert refresh["httpOnly"] is True
    assert refresh["sameSite"] == "Strict"
    assert refresh["path"] == "/api/token/refresh"
    assert token_claims(refresh["value"])["type"] == "refresh"
    # What the page's scripts (and so an XSS payload) see: the CSRF value, never the token.
    readable = page.evaluate("document.cookie")
    assert CSRF_COOKIE in readable
    assert REFRESH_COOKIE not in readable


# --- logging out --------------------------------------------------------------------------------


def test_after_log_out_the_old_access_token_is_refused(
    page: Page, base_url: str, user: User
) -> None:
    token = log_in_at(page, base_url, user)

    with page.expect_response(base_url + "/api/logout") as logout:
        page.get_by_role("button", name="Log out", exact=True).click()

    assert logout.value.status == 200
    expect(page).to_have_url(base_url + "/login")
    assert stored_token(page) is None
    # Someone who copied the token before the logout replays it: the server refuses it,
    # although it has not expired (the lesson's logout left it working until then).
    replay = page.request.get(
        base_url + "/api/protected", headers={"Authorization": f"Bearer {token}"}
    )
    assert (replay.status, replay.json()["msg"]) == (401, "Token has been revoked")
    # And the refresh cookie is gone, so nothing can buy a new one.
    assert REFRESH_COOKIE not in {cookie["name"] for cookie in page.context.cookies()}


def test_log_out_works_even_when_the_server_cannot_be_reached(
    page: Page, base_url: str, user: User
) -> None:
    log_in_at(page, base_url, user)
    page.route(base_url + "/api/logout", lambda route: route.abort("connectionrefused"))

    page.get_by_role("button", name="Log out", exact=True).click()

    expect(page).to_have_url(base_url + "/login")
    assert stored_token(page) is None
    page.goto(base_url + "/private")
    expect(page).to_have_url(LOGIN_URL)


def test_logging_out_in_one_tab_sends_the_other_tab_to_login(
    page: Page, base_url: str, user: User
) -> None:
    log_in_at(page, base_url, user)
    other_tab = page.context.new_page()  # same browser, same localStorage
    other_tab.goto(base_url + "/private")
    expect_private_page_for(other_tab, user.username, user.id)

    page.get_by_role("button", name="Log out", exact=True).click()

    expect(other_tab).to_have_url(LOGIN_URL)
    expect(other_tab.get_by_role("alert")).to_have_text("You were logged out in another tab.")


# --- changing the password ----------------------------------------------------------------------


def test_change_password_logs_out_other_sessions_and_the_new_password_works(
    page: Page, browser: Browser, base_url: str, user: User
) -> None:
    # Another device: a separate browser (its own storage and cookies), logged in before.
    other_device = browser.new_context()
    try:
        other = other_device.new_page()
        log_in_at(other, base_url, user)

        log_in_at(page, base_url, user)
        new_password = user.password + "-changed"
        page.get_by_label("Current password", exact=True).fill(user.password)
        page.get_by_label("New password", exact=True).fill(new_password)
        page.get_by_label("Confirm new password", exact=True).fill(new_password)
        page.get_by_role("button", name="Change password", exact=True).click()

        expect(page.get_by_role("status")).to_have_text(
            "Password changed. Other sessions were logged out."
        )
        # This tab carries on with its new token...
        page.reload()
        expect_private_page_for(page, user.username, user.id)
        # ... the other device is out within seconds, untouched: its tab checks its session.
        expect(other).to_have_url(LOGIN_URL)
        expect(other.get_by_role("alert")).to_contain_text("Token has been revoked")
    finally:
        other_device.close()

    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page).to_have_url(base_url + "/login")
    log_in(page, user.username, user.password)
    expect(page.get_by_role("alert")).to_have_text("Bad username or password")
    log_in(page, user.username, new_password)
    expect(page).to_have_url(base_url + "/private")
    expect_private_page_for(page, user.username, user.id)
