"""What the grader watches in the browser: the page's requests, storage, dialogs and text.

browser_checks.py judges; this module only observes. Every request the page makes is recorded
with Playwright's request and response events (no interception, so Chromium handles CORS as
usual), every JWT the page keeps is found wherever it is (any storage key, inside a JSON value,
a cookie), and a watchdog ends Chromium when the page stops answering.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qsl, quote, quote_plus

import psutil
from playwright.sync_api import BrowserContext, Page, Request, Response
from playwright.sync_api import Error as PlaywrightError

from . import tokens
from .api_checks import LoginShape
from .target import Deadline, Target, parse_json

T = TypeVar("T")  # what a waited-for condition returns
WAIT_S = 5.0
# The watchdog ends Chromium when one step makes no progress for this long.
STALL_S = 25.0
MAX_DIALOGS = 30
MAX_CALLS = 2_000
# What a page sends in Authorization when it has no token (it read storage too early).
NO_TOKEN = {"bearer", "bearer null", "bearer undefined", "bearer [object object]"}
JWT_ANYWHERE = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")

FIND_FORM = """() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const inputs = [...document.querySelectorAll('input')];
  const password = inputs.find((i) => i.type === 'password' && visible(i));
  if (!password) return null;
  const textual = ['text', 'email', 'tel', 'search'];
  const before = inputs.slice(0, inputs.indexOf(password))
    .filter((i) => visible(i) && textual.includes(i.type));
  const username = before[before.length - 1];
  const buttons = [...document.querySelectorAll('button, input[type=submit]')];
  let submit = password.form
    ? [...password.form.querySelectorAll('button, input[type=submit]')]
        .find((b) => visible(b) && b.type === 'submit')
    : undefined;
  if (!submit) {
    submit = buttons.find((b) => visible(b) &&
      (password.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
  }
  return {
    password: inputs.indexOf(password),
    username: username ? inputs.indexOf(username) : -1,
    submit: submit ? buttons.indexOf(submit) : -1,
    describe: [username && (username.name || username.id || username.type),
               password.name || password.id || 'password',
               submit && (submit.innerText || submit.value || 'submit').trim().slice(0, 80)],
  };
}"""

STORAGE = """() => ({
  localStorage: Object.entries(window.localStorage).map(([k, v]) => [k, v.slice(0, 65536)]),
  sessionStorage: Object.entries(window.sessionStorage).map(([k, v]) => [k, v.slice(0, 65536)]),
})"""


@dataclass
class Call:
    """One request the page made, and what became of it."""

    method: str
    url: str
    authorization: str | None
    body: str | None
    content_type: str
    status: int | None = None
    failure: str | None = None

    @property
    def bearer(self) -> str | None:
        """The token of an `Authorization: Bearer <token>` header, else None.

        Any token counts (whether it is a JWT is api.token_is_jwt's finding), but not the text
        a page sends when it read the token before storing it (`null`, `undefined`).
        """
        value = (self.authorization or "").strip()
        scheme, _, token = value.partition(" ")
        token = token.strip()
        if scheme.lower() == "bearer" and token and f"bearer {token.lower()}" not in NO_TOKEN:
            return token
        return None

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def shown(self) -> str:
        return f"{self.method} {self.url}"


@dataclass
class Stored:
    """A JWT the page keeps: where, under which name, and whether scripts can read it."""

    where: str  # localStorage, sessionStorage or cookie
    key: str
    token: str
    readable: bool = True

    def shown(self) -> str:
        return f"{self.where}[{self.key!r}]"


@dataclass
class Watch:
    """What one browser context did: its requests, page errors and dialogs."""

    target: Target
    calls: list[Call] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    dialog_count: int = 0
    by_request: dict[Request, Call] = field(default_factory=dict)

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self.on_request)
        context.on("response", self.on_response)
        context.on("requestfailed", self.on_failed)
        context.on("page", self.on_page)

    def on_request(self, request: Request) -> None:
        if len(self.calls) >= MAX_CALLS:
            return
        headers = request.headers
        try:
            body = request.post_data
        except (PlaywrightError, UnicodeDecodeError):
            body = None
        call = Call(
            request.method,
            request.url,
            headers.get("authorization"),
            body[:65536] if body else None,
            headers.get("content-type", ""),
        )
        self.calls.append(call)
        self.by_request[request] = call

    def on_response(self, response: Response) -> None:
        call = self.by_request.get(response.request)
        if call is not None:
            call.status = response.status

    def on_failed(self, request: Request) -> None:
        call = self.by_request.get(request)
        if call is not None:
            call.failure = request.failure or "failed"

    def on_page(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.error(str(error)))
        page.on(
            "console", lambda message: self.error(message.text) if message.type == "error" else None
        )
        page.on("dialog", self.on_dialog)

    def error(self, text: str) -> None:
        if len(self.errors) < 200:
            self.errors.append(text[:500])

    def on_dialog(self, dialog: object) -> None:
        self.dialog_count += 1
        if len(self.dialogs) < MAX_DIALOGS:
            self.dialogs.append(dialog.message[:500])  # type: ignore[attr-defined]
        with contextlib.suppress(PlaywrightError):  # the page may be gone already
            dialog.dismiss()  # type: ignore[attr-defined]

    def api_calls(self, start: int = 0) -> list[Call]:
        """The page's calls to API (not the page's own documents and scripts on APP)."""
        api = self.target.api.rstrip("/")
        return [c for c in self.calls[start:] if c.url.startswith(api)]


class Watchdog(threading.Thread):
    """Ends Chromium when the page stops answering or the grade's time is up.

    A page whose script never ends holds every Playwright call on it forever (an evaluation
    has no timeout), so the browser's processes are ended from outside, and the call fails.
    """

    def __init__(self, deadline: Deadline) -> None:
        super().__init__(daemon=True)
        self.deadline = deadline
        self.last = time.monotonic()
        self.fired = ""
        self.done = threading.Event()

    def beat(self) -> None:
        self.last = time.monotonic()

    def run(self) -> None:
        while not self.done.wait(0.5):
            now = time.monotonic()
            if self.deadline.passed:
                self.fired = "deadline"
            elif now - self.last > STALL_S:
                self.fired = "stalled"
            if self.fired:
                end_chromium()
                return

    def stop(self) -> None:
        self.done.set()


def end_chromium() -> None:
    """Kill this process's Chromium processes (Playwright's driver then reports them gone)."""
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name().lower():
                child.kill()
        except psutil.Error:
            pass


def wait_for(page: Page, condition: Callable[[], T], seconds: float = WAIT_S) -> T:
    """Poll `condition` until it returns something truthy or `seconds` pass; return its value.

    It waits with the page's own timer, so Playwright keeps delivering the page's events
    (requests, dialogs) in between; time.sleep() would hold them back.
    """
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        page.wait_for_timeout(100)


def form_on(page: Page) -> dict | None:
    """The login form's inputs and button on the page as it is now, or None."""
    try:
        return page.evaluate(FIND_FORM)
    except PlaywrightError:
        return None  # the page is navigating: look again


def visible_lines(page: Page) -> set[str]:
    """The page's visible text (innerText leaves out what is hidden), one line each."""
    try:
        text = page.evaluate("() => document.body ? document.body.innerText.slice(0, 200000) : ''")
    except PlaywrightError:
        return set()  # navigating
    return {line.strip() for line in str(text).splitlines() if line.strip()}


def shows_user(page: Page, username: str, login_lines: set[str]) -> str | None:
    """A visible line naming the user that the login page did not already show, or None."""
    for line in visible_lines(page) - login_lines:
        if username.lower() in line.lower():
            return line[:200]
    return None


def jwts_in(text: str, opaque: str | None = None) -> list[str]:
    """Every JWT-shaped string in `text` (a stored value may be JSON holding several)."""
    found = [m for m in JWT_ANYWHERE.findall(text) if tokens.looks_like_jwt(m)]
    return [*found, opaque] if opaque and opaque in text else found


def stored_tokens(page: Page, opaque: str | None = None) -> list[Stored]:
    """Every JWT the page keeps: in localStorage, sessionStorage (any key) and cookies.

    `opaque` is a token that is not a JWT (the login's answer held one): it is looked for too.
    """
    found: list[Stored] = []
    try:
        stores = page.evaluate(STORAGE)
    except PlaywrightError:
        stores = {}
    for where, entries in stores.items():
        for key, value in entries:
            found += [Stored(where, str(key)[:100], token) for token in jwts_in(str(value), opaque)]
    try:
        cookies = page.context.cookies()
    except PlaywrightError:
        cookies = []
    for cookie in cookies:
        for token in jwts_in(cookie["value"], opaque):
            found.append(Stored("cookie", cookie["name"][:100], token, not cookie["httpOnly"]))
    return found


def http_only_cookies(page: Page, url: str) -> list[str]:
    """Names of the HttpOnly cookies the browser keeps for `url` (a refresh cookie, say)."""
    try:
        return [c["name"][:100] for c in page.context.cookies(url) if c["httpOnly"]]
    except PlaywrightError:
        return []


def carries(body: str | None, value: str) -> bool:
    """True when a request body holds `value` as it is, JSON-escaped or form-encoded."""
    if not body:
        return False
    spellings = {value, json.dumps(value)[1:-1], quote_plus(value), quote(value, safe="")}
    return any(spelling in body for spelling in spellings)


def login_shape(call: Call, username: str, password: str) -> LoginShape | None:
    """The login body's format and field names, read from the request the form sent."""
    if not call.body:
        return None
    fields: dict[str, object] = {}
    kind = "json"
    if "json" in call.content_type or call.body.lstrip().startswith("{"):
        try:
            body = parse_json(call.body)
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        fields = body
    elif "x-www-form-urlencoded" in call.content_type:
        kind = "form"
        fields = dict(parse_qsl(call.body, keep_blank_values=True))
    else:
        return None
    user_field = next((k for k, v in fields.items() if v == username), None)
    password_field = next((k for k, v in fields.items() if v == password), None)
    if user_field is None or password_field is None:
        return None
    extra = {k: v for k, v in fields.items() if k not in (user_field, password_field)}
    return LoginShape(call.url, kind, str(user_field), str(password_field), extra)
