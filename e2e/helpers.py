"""Helpers shared by the end-to-end tests: talk to the API directly, drive the app's forms and
the lab, watch the browser console (fixtures live in conftest.py).

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

from playwright.sync_api import ConsoleMessage, Locator, Page, expect

# The key the lesson stores the token under (the SPA keeps it: frontend/src/api/token-store.js).
TOKEN_KEY = "jwt-token"

# Where Codespaces forwards ports: https://<codespace>-<port>.app.github.dev
CODESPACES_DOMAIN = "app.github.dev"

# How Chromium reports a blocked script, style, image, connection or frame in the console.
CSP_MARKERS = ("Refused to", "Content Security Policy", "Content-Security-Policy")


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


def fill_signup_form(page: Page, username: str, password: str, confirm: str) -> None:
    """Fill and submit the signup form on the current page."""
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password", exact=True).fill(confirm)
    page.get_by_role("button", name="Sign up", exact=True).click()


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


def experiment(page: Page, title: str) -> Locator:
    """One experiment of the lab's tamper lab, by its heading."""
    return page.get_by_role("region", name="Tamper lab").get_by_role("article", name=title)


def run(page: Page, title: str, button: str) -> Locator:
    """Press an experiment's button and wait for the server's answer; return the experiment."""
    article = experiment(page, title)
    article.get_by_role("button", name=button, exact=True).click()
    expect(article.get_by_text("Not sent yet.")).to_have_count(0)
    expect(article.get_by_text("Sending...")).to_have_count(0)
    return article


def run_every_experiment(page: Page) -> None:
    """Press every button of the tamper lab and wait for all the answers (badges, tables,
    messages on screen: the lab at its fullest)."""
    lab = page.get_by_role("region", name="Tamper lab")
    # .all() does not wait: the lab's code comes on demand, so wait until its buttons are there.
    expect(lab.get_by_role("button").first).to_be_visible()
    for button in lab.get_by_role("button").all():
        button.click()
    expect(lab.get_by_text("Not sent yet.")).to_have_count(0)
    expect(lab.get_by_text("Sending...")).to_have_count(0)


@dataclass
class ConsoleWatch:
    """Every console message of every page in the test, and the CSP violations among them."""

    messages: list[str]
    csp_violations: list[str]

    def record(self, message: ConsoleMessage) -> None:
        line = f"[{message.type}] {message.text}"
        self.messages.append(line)
        if any(marker in message.text for marker in CSP_MARKERS):
            self.csp_violations.append(line)

    def watch(self, page: Page) -> None:
        page.on("console", self.record)
