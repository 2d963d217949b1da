"""The session in the browser (the lesson's step 5): the stored token opens private pages until
the student logs out or the server refuses it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Callable

import pytest
from helpers import User, expect_private_page_for, log_in, store_token, stored_token
from playwright.sync_api import Page, expect

# Logged out, a guarded page sends the student to /login (with or without a "come back" hint).
LOGIN_URL = re.compile(r"/login(\?.*)?$")


# /private is also where a login lands by default, so the query string (or /lab) is what shows
# that the student really came back to the page they asked for. Both pages show who you are.
@pytest.mark.parametrize("asked_for", ["/private", "/private?from=bookmark", "/lab"])
def test_guarded_page_sends_a_logged_out_visitor_to_login_and_back(
    page: Page, base_url: str, user: User, asked_for: str
) -> None:
    page.goto(asked_for)
    expect(page).to_have_url(LOGIN_URL)

    log_in(page, user.username, user.password)

    expect(page).to_have_url(base_url + asked_for)
    expect_private_page_for(page, user.username, user.id)


def test_reload_keeps_the_session(page: Page, base_url: str, user: User) -> None:
    page.goto("/login")
    log_in(page, user.username, user.password)
    expect_private_page_for(page, user.username, user.id)

    # The token survives in localStorage, so a reload (or a new tab) is still logged in.
    page.reload()

    expect(page).to_have_url(base_url + "/private")
    expect_private_page_for(page, user.username, user.id)


def test_log_out_forgets_the_token_and_guards_private_again(
    page: Page, base_url: str, user: User
) -> None:
    page.goto("/login")
    log_in(page, user.username, user.password)
    expect_private_page_for(page, user.username, user.id)
    assert stored_token(page) is not None

    page.get_by_role("button", name="Log out", exact=True).click()

    expect(page).to_have_url(base_url + "/login")
    assert stored_token(page) is None
    page.goto("/private")
    expect(page).to_have_url(LOGIN_URL)


# --- tampering: what the signature is for --------------------------------------------------


def _b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def claim_to_be_user_1(token: str) -> str:
    """Edit the payload to say sub="1" (the first seeded account) and keep the old signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(_b64url_decode(payload))
    claims["sub"] = "1"
    return f"{header}.{_b64url_encode(json.dumps(claims).encode())}.{signature}"


def alter_the_signature(token: str) -> str:
    """Change one character in the middle of the signature (the last one may only hold padding
    bits that decoders ignore, which would leave the signature valid)."""
    header, payload, signature = token.split(".")
    middle = len(signature) // 2
    swapped = "A" if signature[middle] != "A" else "B"
    return f"{header}.{payload}.{signature[:middle]}{swapped}{signature[middle + 1 :]}"


def sign_with_the_lessons_key(token: str) -> str:
    """Re-sign the same header and payload with the lesson's example key, "super-secret"."""
    header, payload, _ = token.split(".")
    signing_input = f"{header}.{payload}".encode()
    forged = hmac.new(b"super-secret", signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url_encode(forged)}"


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(claim_to_be_user_1, id="payload-edited"),
        pytest.param(alter_the_signature, id="signature-altered"),
        pytest.param(sign_with_the_lessons_key, id="signed-with-super-secret"),
    ],
)
def test_tampered_token_ends_the_session_with_an_explanation(
    page: Page, base_url: str, user: User, tamper: Callable[[str], str]
) -> None:
    page.goto("/login")
    log_in(page, user.username, user.password)
    expect_private_page_for(page, user.username, user.id)
    token = stored_token(page)
    assert token is not None
    tampered = tamper(token)
    assert tampered != token

    store_token(page, tampered)
    page.reload()

    # The server rejects the signature; the SPA drops the token and says why on /login,
    # in the server's own words.
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("alert")).to_contain_text("Signature verification failed")
    assert stored_token(page) is None
