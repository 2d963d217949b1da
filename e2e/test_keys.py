"""Keys in the classroom (/lab and /classroom): the public keys a browser can fetch, the
student's own token checked in the browser with one of them, the attacks that come with keys
refused by the real server, and a teacher's rotation that logs nobody out.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable

import pytest
from helpers import User, log_in, run, sign_up, stored_token
from playwright.sync_api import Locator, Page, expect

TEACHER, TEACHER_PASSWORD = "teacher", "teacher1234"
# Members that only a private or secret key has (RFC 7518 §6): never in a JWKS.
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k"}

# Each new experiment, its button, and the server's own words for refusing it (for aud and iss,
# a genuine token from the lab's specimens: signed by the current key, refused for its claim).
KEY_EXPERIMENTS = [
    (
        "10. Sign HS256 with the public key (algorithm confusion)",
        "Sign with the public key",
        "The specified alg value is not allowed",
    ),
    ("11. Bring your own key in the header (jwk)", "Embed a jwk", "names a key (jwk, jku"),
    ("12. Point jku at your own key set", "Add a jku", "names a key (jwk, jku"),
    ("13. Put a path in kid", "Use a path as kid", "kid names no signing key"),
    ("14. Name a key that does not exist", "Use an unknown kid", "kid names no signing key"),
    ("15. Send a token for another audience", "Change aud", "Audience doesn't match"),
    ("16. Send a token from another issuer", "Change iss", "Invalid issuer"),
]


def header_of(token: str) -> dict:
    """The decoded header of a JWT (anyone can read it)."""
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def open_lab(page: Page, username: str, password: str) -> str:
    """Log in through the form, open the Lab from the menu; return the stored token."""
    page.goto("/login")
    log_in(page, username, password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lab").click()
    expect(page.get_by_role("heading", name="Lab", level=1)).to_be_visible()
    token = stored_token(page)
    assert token is not None
    return token


def kid_row(page: Page) -> Locator:
    """The inspector's row that explains the header's kid."""
    inspector = page.get_by_role("region", name="Token inspector")
    table = inspector.get_by_role("table", name="Header fields")
    return table.get_by_role("row", name=re.compile(r"^kid"))


def expect_verified(page: Page, kid: str, engine: str) -> None:
    """The Keys panel says the token with `kid` checks out, by `engine`, in this browser."""
    status = page.get_by_role("region", name="Keys").get_by_role("status")
    expect(status).to_contain_text(f'Signature valid: your token (ES256, kid "{kid}")')
    expect(status).to_contain_text(engine)


def published_keys(page: Page) -> list[dict]:
    """The JWKS as the Keys panel shows it (what this browser fetched)."""
    shown = page.get_by_role("region", name="Keys").get_by_label("JWKS", exact=True)
    expect(shown).to_contain_text('"keys"')
    return json.loads(shown.inner_text())["keys"]


def test_the_keys_panel_checks_the_token_in_the_browser_with_webcrypto(
    page: Page, user: User
) -> None:
    token = open_lab(page, user.username, user.password)
    kid = header_of(token)["kid"]

    assert page.evaluate("window.isSecureContext") is True
    expect_verified(page, kid, "by the browser's own WebCrypto")
    keys = published_keys(page)
    assert kid in [key["kid"] for key in keys]
    for key in keys:
        assert not PRIVATE_MEMBERS & set(key), f"a private member in the JWKS: {key}"
    expect(kid_row(page)).to_contain_text("This one is the current key")
    table = page.get_by_role("region", name="Keys").get_by_role(
        "table", name=re.compile("The server's signing keys")
    )
    expect(table.get_by_role("row", name=re.compile(f"^{kid}"))).to_contain_text("current")


def test_every_key_experiment_is_refused_with_401(page: Page, user: User) -> None:
    token = open_lab(page, user.username, user.password)

    for title, button, reason in KEY_EXPERIMENTS:
        answered = run(page, title, button)
        expect(answered).to_contain_text("401 Unauthorized")
        expect(answered.get_by_text("as expected", exact=True)).to_be_visible()
        # The server's machine-readable kind, beside its message.
        expect(answered.get_by_text("token_invalid", exact=True)).to_be_visible()
        expect(answered).to_contain_text(reason)
    # Seven refusals, and the student is still on /lab with the same token.
    expect(page.get_by_role("heading", name="Lab", level=1)).to_be_visible()
    assert stored_token(page) == token


# --- rotation, with a short token lifetime so the student's refresh comes soon ---------------


@pytest.fixture(scope="module")
def room(start_server: Callable[..., str]) -> str:
    """A server of its own (a rotation would change the shared one's keys), 8-second tokens:
    the SPA replaces a token a quarter of its lifetime before it expires, so every 6 seconds."""
    return start_server(ACCESS_TOKEN_TTL="8")


def test_a_teacher_rotates_and_the_student_keeps_working_then_gets_the_new_kid(
    open_browser: Callable[[], Page], room: str
) -> None:
    student = sign_up(room)
    student_page = open_browser()
    old_kid = header_of(open_lab(student_page, student.username, student.password))["kid"]
    expect_verified(student_page, old_kid, "WebCrypto")

    teacher_page = open_browser()
    teacher_page.goto("/login")
    log_in(teacher_page, TEACHER, TEACHER_PASSWORD)
    expect(teacher_page).to_have_url(room + "/private")
    teacher_page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Classroom"
    ).click()
    region = teacher_page.get_by_role("region", name="Signing key")
    region.get_by_role("button", name="Rotate signing key", exact=True).click()
    status = region.get_by_role("status")
    expect(status).to_contain_text("New signing key: ")
    expect(status).to_contain_text(f"Still verified until their tokens expire: {old_kid}")
    new_kid = re.search(r"New signing key: (\S+) \(", status.inner_text())
    assert new_kid is not None
    new_kid = new_kid.group(1)
    assert new_kid != old_kid

    # The student's page carries on: the token it holds (old kid) is still accepted...
    real = run(student_page, "8. Send your real token", "Send real token")
    expect(real).to_contain_text("200 OK")
    # ...and its next refresh brings a token signed by the new key, checked in the browser
    # with the new public key, which the page fetches because its kid is new.
    inspector = student_page.get_by_role("region", name="Token inspector")
    expect(inspector.get_by_label("Decoded header")).to_contain_text(
        f'"kid": "{new_kid}"', timeout=15_000
    )
    expect(kid_row(student_page)).to_contain_text("This one is the current key")
    expect_verified(student_page, new_kid, "WebCrypto")
    kids = [key["kid"] for key in published_keys(student_page)]
    assert {old_kid, new_kid} <= set(kids)
    expect(student_page.get_by_role("heading", name="Lab", level=1)).to_be_visible()
    assert header_of(stored_token(student_page) or "")["kid"] == new_kid
    again = run(student_page, "8. Send your real token", "Send real token")
    expect(again).to_contain_text("200 OK")
