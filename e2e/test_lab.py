"""The classroom (/lab): the token taken apart, every request listed, forged tokens refused.

Every tamper-lab button sends a real request to the real server; the page must show the
server's own answer, and none of the deliberate 401s may end the student's session.
"""

from __future__ import annotations

import re

from helpers import User, api_json, log_in, run, stored_token, token_claims
from playwright.sync_api import Page, expect


def open_lab(page: Page, user: User) -> str:
    """Log in through the form, open the Lab from the menu; return the stored token."""
    page.goto("/login")
    log_in(page, user.username, user.password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lab").click()
    expect(page.get_by_role("heading", name="Lab", level=1)).to_be_visible()
    token = stored_token(page)
    assert token is not None
    return token


def shortened(token: str) -> str:
    return f"{token[:8]}…{token[-4:]}"


def test_lab_has_its_three_regions_and_a_countdown_that_moves(page: Page, user: User) -> None:
    token = open_lab(page, user)

    for name in ("Token inspector", "Request log", "Tamper lab"):
        expect(page.get_by_role("region", name=name)).to_be_visible()

    inspector = page.get_by_role("region", name="Token inspector")
    # The token is shown whole, and its payload decoded: sub is the user id as a string.
    header, payload, signature = token.split(".")
    expect(inspector.get_by_label("The token, coloured by part")).to_have_text(
        f"{header}.{payload}.{signature}"
    )
    expect(inspector.get_by_label("Decoded payload")).to_contain_text(f'"sub": "{user.id}"')

    timer = inspector.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^This token expires in \d+:\d\d$"))
    first = timer.inner_text()
    # It ticks every second: the text changes without any reload.
    expect(timer).not_to_have_text(first)


def refresh_cookie(page: Page) -> str:
    (value,) = [c["value"] for c in page.context.cookies() if c["name"] == "refresh_token_cookie"]
    return value


def test_refresh_now_swaps_the_token_and_rotates_the_cookie(
    page: Page, base_url: str, user: User
) -> None:
    old = open_lab(page, user)
    old_cookie = refresh_cookie(page)
    inspector = page.get_by_role("region", name="Token inspector")

    inspector.get_by_role("button", name="Refresh now", exact=True).click()

    old_jti = token_claims(old)["jti"]
    expect(inspector.get_by_role("status")).to_contain_text(f"New token: jti {old_jti[:8]}…")
    new = stored_token(page)
    assert new is not None and new != old
    new_jti = token_claims(new)["jti"]
    assert new_jti != old_jti
    # The login's token came from a typed password; the refreshed one did not.
    assert (token_claims(old)["fresh"], token_claims(new)["fresh"]) == (True, False)
    expect(inspector.get_by_role("status")).to_contain_text(
        f"is now {new_jti[:8]}…, fresh is now false"
    )
    expect(inspector.get_by_label("The token, coloured by part")).to_have_text(new)
    # The HttpOnly refresh cookie, which the page cannot read, was rotated too.
    assert refresh_cookie(page) != old_cookie
    row = page.get_by_role("region", name="Request log").get_by_role("row")
    refresh = row.filter(has_text="POST /api/token/refresh")
    expect(refresh).to_have_count(1)
    expect(refresh).to_contain_text("Refresh")
    expect(refresh).to_contain_text("200")
    # As the page says: the new token works, and refreshing did not revoke the old one.
    assert api_json(base_url, "GET", "/api/protected", token=new)[0] == 200
    assert api_json(base_url, "GET", "/api/protected", token=old)[0] == 200


def test_request_log_lists_the_login_and_the_protected_call_with_the_header_flag(
    page: Page, user: User
) -> None:
    token = open_lab(page, user)

    log = page.get_by_role("region", name="Request log")
    login = log.get_by_role("row").filter(has_text="POST /api/token")
    expect(login).to_have_count(1)
    expect(login).to_contain_text("200")
    expect(login).to_contain_text("Not sent")
    check = log.get_by_role("row").filter(has_text="GET /api/protected")
    expect(check.first).to_contain_text("200")
    expect(check.first).to_contain_text(f"Sent: Bearer {shortened(token)}")

    log.get_by_role("button", name="Clear log").click()
    expect(log.get_by_text("No requests yet.")).to_be_visible()


def test_every_tamper_button_shows_the_servers_answer_and_the_session_survives(
    page: Page, base_url: str, user: User
) -> None:
    token = open_lab(page, user)

    signature_failed = ("401 Unauthorized", "Signature verification failed")
    expected = [
        ("1. Pretend to be another user", "Change sub", *signature_failed),
        (
            '2. Claim the token is unsigned ("alg": "none")',
            "Use alg none",
            "401 Unauthorized",
            "The specified alg value is not allowed",
        ),
        ("3. Sign it with a key of your own", "Sign with another key", *signature_failed),
        (
            "5. Send no token at all",
            "Send no header",
            "401 Unauthorized",
            "Missing Authorization Header",
        ),
        ("8. Send your real token", "Send real token", "200 OK", f'"username":"{user.username}"'),
        # A student's role claim edited to "teacher": refused for the signature, never a 403.
        ("9. Make yourself a teacher", "Change role", *signature_failed),
    ]
    for title, button, status, msg in expected:
        article = run(page, title, button)
        expect(article).to_contain_text(status)
        expect(article).to_contain_text(msg)
        expect(article.get_by_text("as expected", exact=True)).to_be_visible()

    # 4, 6 and 7 need tokens only the server can make (POST /api/lab/tokens, from the token
    # lifecycle feature). The server itself says what the page must show.
    status, specimens = api_json(base_url, "POST", "/api/lab/tokens", {}, token=token)
    for title, button, key in [
        ("4. Send a token that has expired", "Send expired token", "expired"),
        ("6. Use a refresh token as an access token", "Send refresh token", "refresh"),
        ("7. Send a token that has been revoked", "Send revoked token", "revoked"),
    ]:
        article = run(page, title, button)
        if status == 404:
            expect(article).to_contain_text("This server has no POST /api/lab/tokens")
            continue
        assert status == 200, specimens
        answer = api_json(base_url, "GET", "/api/protected", token=specimens[key])
        assert answer[0] == 401, answer
        expect(article).to_contain_text("401 Unauthorized")
        expect(article).to_contain_text(answer[1]["msg"])
        if key == "expired":
            expect(article).to_contain_text("Token has expired")
        if key == "revoked":
            expect(article).to_contain_text("Token has been revoked")

    # Eight deliberate 401s later: still on /lab, same token, and it still opens the API.
    expect(page).to_have_url(base_url + "/lab")
    assert stored_token(page) == token
    assert api_json(base_url, "GET", "/api/protected", token=token)[0] == 200
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
