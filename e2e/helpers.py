"""Small helpers shared by the end-to-end tests: talk to the API directly, drive the login form.

The tests use the API only to set things up (a fresh user) or to check a result from the outside;
everything the test is about happens in the browser, the way a student would do it.
"""

from __future__ import annotations

import base64
import json
import secrets
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from playwright.sync_api import Page, expect

# The key the lesson stores the token under (the SPA keeps it: frontend/src/auth/token-store.js).
TOKEN_KEY = "jwt-token"


@dataclass(frozen=True)
class User:
    """An account that exists on the server under test."""

    username: str
    password: str
    id: int


@dataclass(frozen=True)
class CrossOrigin:
    """The `make dev` shape: where the SPA is served and where the API answers."""

    spa_url: str
    api_url: str


def api_json(
    base_url: str, method: str, path: str, body: dict | None = None, token: str | None = None
) -> tuple[int, dict]:
    """Call the API like any client would and return (status, JSON body), errors included."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    # S310: base_url is always the http:// address of a server these fixtures started.
    request = urllib.request.Request(  # noqa: S310
        base_url + path, data=data, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        # A 4xx is an answer, not a crash: the tests want to see its status and msg.
        with error:
            return error.code, json.loads(error.read() or b"{}")


def unique_username() -> str:
    """A username no other test (or earlier run) has used, within the 3-32 character rule."""
    return f"e2e_{uuid.uuid4().hex[:12]}"


def sign_up(base_url: str) -> User:
    """Create a brand-new account through POST /api/signup, for tests that need their own user."""
    username = unique_username()
    password = secrets.token_urlsafe(12)  # 16 characters, inside the 8-128 rule
    status, body = api_json(
        base_url, "POST", "/api/signup", {"username": username, "password": password}
    )
    assert status == 201, f"signup through the API failed: {status} {body}"
    return User(username=username, password=password, id=body["id"])


def log_in(page: Page, username: str, password: str) -> None:
    """Fill and submit the login form on the current page (the test decides where that is)."""
    # exact=True: "Password" must not also match another field whose name merely contains it.
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def expect_private_page_for(page: Page, username: str, user_id: int | None = None) -> None:
    """/private shows who GET /api/protected says we are: the username and, if given, the id."""
    # Inside <main> only: the header also says who is logged in, and a test about the page
    # should not pass on the header alone.
    main = page.get_by_role("main")
    expect(main.get_by_text(username, exact=True)).to_be_visible()
    if user_id is not None:
        expect(main.get_by_text(str(user_id), exact=True)).to_be_visible()


def stored_token(page: Page) -> str | None:
    """What the SPA keeps in localStorage["jwt-token"] right now (None when logged out)."""
    return page.evaluate("key => window.localStorage.getItem(key)", TOKEN_KEY)


def store_token(page: Page, token: str) -> None:
    """Overwrite the stored token, as a curious student could from the browser's devtools."""
    page.evaluate("([key, value]) => window.localStorage.setItem(key, value)", [TOKEN_KEY, token])


def token_claims(token: str) -> dict:
    """The payload of a JWT, decoded WITHOUT checking the signature (anyone can read it)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
