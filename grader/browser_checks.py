"""The browser checks: the student's pages in a real Chromium, driven like a person would.

The grader does not know the app's markup, so it finds the login form by what every login form
has: a password input, the text or email input before it, and the button that submits them.
Everything else it judges from what a person (or the devtools) would see: the page's visible
text, the requests it sends, and what it keeps in storage.

Only the app's and the API's origins are contacted: any other request (a CDN, analytics) is
blocked and listed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tools.browser import launch_options

from . import tokens
from .api_checks import RATE_LIMITED_NOTE, find_token
from .checks import CHECKS, Grade, Result
from .target import Target, origin, shorten

WAIT_S = 3.0
NAVIGATION_MS = 10_000
LOGOUT_NAME = re.compile(r"log\s*-?\s*out|sign\s*-?\s*out", re.IGNORECASE)
LOGIN_NAME = re.compile(r"log\s*-?\s*in|sign\s*-?\s*in", re.IGNORECASE)
MISSING_TOKENS = {"bearer", "bearer null", "bearer undefined", "bearer [object object]"}

# What the lesson's own front-end code throws, and what it means where the grader saw it.
LESSON_LOGIN_ERROR = "There was a problem in the login request"
LESSON_CAUSES = {
    "login": {
        LESSON_LOGIN_ERROR: (
            "The lesson's login() does `if(!resp.ok) throw Error(\"There was a problem in the "
            'login request")` before `if(resp.status === 401)`, so the 401 branch is '
            "unreachable, and nothing catches the error to put it on the page."
        ),
    },
    "private": {
        LESSON_LOGIN_ERROR: (
            'The lesson\'s getMyTasks() throws "There was a problem in the login request" for '
            "any error status, so the page learns nothing, and nothing shows it."
        ),
        "Unknown error": (
            'The lesson\'s getMyTasks() ends in `else { throw Error("Unknown error") }`: it '
            "throws even when the response is 200, so the data is never returned."
        ),
        "Missing or invalid token": (
            "The lesson's 403 branch: flask-jwt-extended never answers 403 for a bad token."
        ),
    },
}

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
               submit && (submit.innerText || submit.value || 'submit').trim()],
  };
}"""

STORAGE = """() => ({
  localStorage: Object.entries(window.localStorage),
  sessionStorage: Object.entries(window.sessionStorage),
})"""


class Stop(Exception):
    """The browser checks cannot go on; `note` says why (a 429, the app unreachable...)."""

    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


@dataclass
class Watch:
    """What one browser context did: API requests, page errors, dialogs, blocked hosts."""

    target: Target
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)

    def allowed(self, url: str) -> bool:
        return origin(url) in {origin(self.target.api), origin(self.target.app or "")}

    def route(self, route: Route) -> None:
        if self.allowed(route.request.url):
            route.continue_()
        else:
            self.blocked.add(origin(route.request.url))
            route.abort()

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self.route)
        context.on("request", self.on_request)
        context.on("page", self.on_page)

    def on_request(self, request: Request) -> None:
        if request.url.startswith(self.target.api.rstrip("/")):
            self.requests.append(request)

    def on_page(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        page.on("dialog", self.on_dialog)

    def on_dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def lesson_causes(self, where: str, since: int = 0) -> str:
        """The lesson's own errors among the page's errors (from `since` on), explained."""
        seen = " ".join(self.errors[since:])
        return " ".join(why for text, why in LESSON_CAUSES[where].items() if text in seen)


def wait_for(page: Page, condition: Callable[[], object], seconds: float = WAIT_S) -> object:
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
        text = page.evaluate("() => document.body ? document.body.innerText : ''")
    except PlaywrightError:
        return set()  # navigating
    return {line.strip() for line in text.splitlines() if line.strip()}


def shows_user(page: Page, username: str, login_lines: set[str]) -> str | None:
    """A visible line naming the user that the login page did not already show, or None."""
    for line in visible_lines(page) - login_lines:
        if username.lower() in line.lower():
            return line
    return None


def is_token_call(target: Target, url: str, method: str) -> bool:
    """True for the login request: POST to the token route."""
    token_url = target.api_url(target.token_path).rstrip("/")
    return method == "POST" and url.split("?")[0].rstrip("/") == token_url


def find_stored(page: Page, token: str | None) -> tuple[str, str] | None:
    """(storage, key) holding the token (or any JWT when the token is unknown), or None."""
    try:
        stores = page.evaluate(STORAGE)
    except PlaywrightError:
        return None
    for storage, entries in stores.items():
        for key, value in entries:
            if (token and token in value) or (not token and tokens.JWT_PATTERN.search(value)):
                return storage, key
    for cookie in page.context.cookies():
        if (token and token in cookie["value"]) or tokens.looks_like_jwt(cookie["value"]):
            return "cookie", cookie["name"]
    return None


class Session:
    """One run of the browser checks against one app."""

    def __init__(self, target: Target, grade: Grade, browser: Browser, token: str | None) -> None:
        self.target = target
        self.grade = grade
        self.browser = browser
        self.token = token
        self.watch = Watch(target)
        self.context = browser.new_context()
        self.watch.attach(self.context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(NAVIGATION_MS)
        self.login_lines: set[str] = set()
        self.private_url: str | None = None
        self.stored: tuple[str, str] | None = None

    def add(
        self, check: str, status: str, sent: str = "", observed: str = "", note: str = ""
    ) -> None:
        """Record one result."""
        self.grade.add(Result(check, status, sent, observed, note))  # type: ignore[arg-type]

    # --- the form ------------------------------------------------------------------------

    def goto(self, url: str) -> None:
        try:
            self.page.goto(url, wait_until="load")
        except PlaywrightError as error:
            first_line = error.message.splitlines()[0]
            raise Stop(f"Could not open {url} ({first_line}): is the app running there?") from error

    def form_now(self) -> dict | None:
        return form_on(self.page)

    def find_form(self) -> dict | None:
        return wait_for(self.page, self.form_now)  # type: ignore[return-value]

    def open_login_form(self) -> None:
        """browser.login_form: LOGIN_PATH, else the first page, else its Log in link."""
        url = self.target.app_url(self.target.login_path)
        try:
            self.goto(url)
        except Stop as stop:
            self.add("browser.login_form", "fail", f"opened {url}", "", stop.note)
            raise Stop("Not run: the app's page could not be opened.") from stop
        link = self.page.get_by_role("link", name=LOGIN_NAME).or_(
            self.page.get_by_role("button", name=LOGIN_NAME)
        )
        follow_link = self.target.login_path is None
        # Whichever shows first: the form itself, or (on a home page) the way to it.
        wait_for(self.page, lambda: self.form_now() or (follow_link and link.count()))
        form = self.form_now()
        if form is None and follow_link and link.count():
            link.first.click()
            form = self.find_form()
        where = self.page.url
        if form is None:
            note = f"No password field on {where}. Set LOGIN_PATH to the page with your login form."
            self.add("browser.login_form", "fail", f"opened {url}", "no password input", note)
            raise Stop("Needs the login form.")
        if form["username"] < 0:
            note = "A password field, but no text or email field before it for the username."
            self.add("browser.login_form", "fail", f"opened {where}", str(form["describe"]), note)
            raise Stop("Needs the login form.")
        username, password, button = form["describe"]
        observed = f"on {where}: username field {username!r}, password field {password!r}, "
        observed += f"button {button!r}" if button else "no button (Enter submits)"
        self.add("browser.login_form", "pass", f"opened {url}", observed)
        self.login_lines = visible_lines(self.page)

    def submit(self, username: str, password: str) -> tuple[int | None, object]:
        """Fill the form and submit it; (status, JSON body) of the token call, or (None, None)."""
        form = self.find_form()
        if form is None:
            raise Stop("The login form disappeared after the first attempt.")
        inputs = self.page.locator("input")
        inputs.nth(form["username"]).fill(username)
        inputs.nth(form["password"]).fill(password)
        try:
            with self.page.expect_response(
                lambda r: is_token_call(self.target, r.url, r.request.method),
                timeout=WAIT_S * 2000,
            ) as answer:
                if form["submit"] >= 0:
                    self.page.locator("button, input[type=submit]").nth(form["submit"]).click()
                else:
                    inputs.nth(form["password"]).press("Enter")
        except PlaywrightError:
            return None, None
        response = answer.value
        if response.status == 429:
            retry = response.headers.get("retry-after")
            raise Stop(
                "The app answered 429 to the login form (it rate-limits: good); the browser "
                "checks after it did not run"
                + (f": grade again in {retry} s." if retry else ": grade again in a minute.")
            )
        try:
            body = response.json()
        except (PlaywrightError, ValueError):
            body = None
        return response.status, body

    def wrong_password(self) -> None:
        """browser.wrong_password_message: a mistyped password, and what the page says."""
        before = visible_lines(self.page)
        self.login_lines |= before  # what the login page shows by now (a list may load late)
        errors_before = len(self.watch.errors)
        sent = f"submitted the form as {self.target.username!r} with a wrong password"
        status, _body = self.submit(self.target.username, self.target.password + "-wrong")
        if status is None:
            note = f"Submitting the form sent no POST to {self.target.token_path}."
            self.add("browser.wrong_password_message", "fail", sent, "no request", note)
            return

        def message() -> str | None:
            if self.watch.dialogs:
                return f"alert(): {self.watch.dialogs[-1]}"
            alerts = self.page.get_by_role("alert")
            for index in range(alerts.count()):
                text = alerts.nth(index).inner_text().strip()
                if text:
                    return text
            new = sorted(visible_lines(self.page) - before)
            return " / ".join(new[:3]) if new else None

        shown = wait_for(self.page, message)
        observed = f"the API answered {status}; the page showed: {shown or 'nothing new'}"
        causes = self.watch.lesson_causes("login", errors_before)
        if not shown:
            self.add("browser.wrong_password_message", "fail", sent, observed, causes)
        elif LESSON_LOGIN_ERROR in str(shown):
            note = (
                "A message, but not why: the lesson's `if(!resp.ok) throw` comes before its "
                "401 branch, which never runs. Show the server's msg instead."
            )
            self.add("browser.wrong_password_message", "warn", sent, observed, note)
        else:
            self.add("browser.wrong_password_message", "pass", sent, observed)

    def log_in(self) -> None:
        """browser.logs_in, then browser.token_stored."""
        sent = f"submitted the form as {self.target.username!r} with the right password"
        status, body = self.submit(self.target.username, self.target.password)
        if status != 200:
            observed = "no request" if status is None else f"the API answered {status}"
            note = ""
            if status is None:
                token_url = self.target.api_url(self.target.token_path)
                note = f"Submitting the form sent no POST to {token_url}."
            elif status in (400, 401, 415, 422):
                note = (
                    "The API refused what the form sent: send JSON "
                    '{"username", "password"} with Content-Type: application/json.'
                )
            self.add("browser.logs_in", "fail", sent, observed, note)
            raise Stop("Needs a successful login in the browser.")
        self.add("browser.logs_in", "pass", sent, f"the API answered {status}")
        _field, token = find_token(body)
        self.token = token or self.token
        # The page decides where to go next; give it a moment to get there.
        login_url = self.page.url
        wait_for(self.page, lambda: self.page.url != login_url, 1.5)
        self.private_url = (
            self.target.app_url(self.target.private_path)
            if self.target.private_path
            else self.page.url
        )
        self.stored = wait_for(self.page, lambda: find_stored(self.page, self.token))  # type: ignore[assignment]
        if self.stored is None:
            note = (
                "The token is kept nowhere the browser keeps data (a variable is lost on reload)."
            )
            self.add(
                "browser.token_stored",
                "fail",
                "",
                "not in localStorage, sessionStorage or cookies",
                note,
            )
            return
        storage, key = self.stored
        observed = f"{storage}[{key!r}]"
        if storage == "localStorage":
            self.add("browser.token_stored", "pass", "", observed)
        else:
            note = f"Kept in {storage}, not localStorage as in the lesson: " + (
                "lost when the tab closes."
                if storage == "sessionStorage"
                else "a cookie is sent by the browser itself (mind CSRF)."
            )
            self.add("browser.token_stored", "warn", "", observed, note)

    # --- after the login -----------------------------------------------------------------

    def user_line(self) -> str | None:
        return self.user_line_on(self.page)

    def user_line_on(self, page: Page) -> str | None:
        """A visible line of `page` naming the user that the login page did not show."""
        return shows_user(page, self.target.username, self.login_lines)

    def api_calls_after(self, start: int) -> list[Request]:
        return [
            r
            for r in self.watch.requests[start:]
            if not is_token_call(self.target, r.url, r.method)
        ]

    def bearer_sent(self, start: int) -> None:
        """browser.bearer_sent: the first API calls after the login carry the token."""
        calls = wait_for(self.page, lambda: self.api_calls_after(start))
        if not calls and self.private_url and self.page.url != self.private_url:
            self.goto(self.private_url)
            calls = wait_for(self.page, lambda: self.api_calls_after(start))
        headers = [(r, r.all_headers().get("authorization")) for r in calls or []]
        expected = f"Bearer {self.token}"
        for request, value in headers:
            if value == expected:
                sent = f"{request.method} {request.url}"
                self.add("browser.bearer_sent", "pass", sent, f"Authorization: {shorten(value)}")
                return
        carried = [(r, v) for r, v in headers if v]
        if carried:
            request, value = carried[0]
            note = "Not `Bearer <the token from the login>`: @jwt_required() will refuse it."
            self.add(
                "browser.bearer_sent",
                "fail",
                f"{request.method} {request.url}",
                f"Authorization: {shorten(value)}",
                note,
            )
        else:
            observed = f"{len(headers)} API call(s), none with an Authorization header"
            self.add("browser.bearer_sent", "fail", "", observed)

    def private_page(self) -> bool:
        """browser.private_shows_user."""
        if self.target.private_path and self.page.url != self.private_url:
            self.goto(self.private_url or "")
        line = wait_for(self.page, self.user_line, 5)
        sent = f"looked for {self.target.username!r} on {self.page.url}"
        if line:
            self.add("browser.private_shows_user", "pass", sent, f"shows {line!r}")
            return True
        note = self.watch.lesson_causes("private")
        for request in self.watch.requests:
            response = request.response()
            if (
                response
                and response.status == 422
                and "Subject must be a string" in response.text()
            ):
                note = (
                    'The protected route answered 422 "Subject must be a string": an integer '
                    "`sub`. " + note
                )
                break
        self.add("browser.private_shows_user", "fail", sent, "the username is not shown", note)
        return False

    def reload(self) -> None:
        """browser.reload_keeps_session."""
        sent = f"reloaded {self.page.url}"
        self.page.reload(wait_until="load")
        line = wait_for(self.page, self.user_line, 5)
        if line:
            self.add("browser.reload_keeps_session", "pass", sent, f"still shows {line!r}")
        else:
            note = "After a reload the user is gone: read the token from storage on start."
            self.add("browser.reload_keeps_session", "fail", sent, "the username is gone", note)

    def logout(self) -> None:
        """browser.logout_removes_token."""
        if self.stored is None:
            note = "The token was not stored, so there is nothing for Log out to remove."
            self.add("browser.logout_removes_token", "skip", "", "", note)
            return
        control = self.page.get_by_role("button", name=LOGOUT_NAME).or_(
            self.page.get_by_role("link", name=LOGOUT_NAME)
        )
        if not control.count():
            note = "No button or link named Log out / Sign out on the private page."
            self.add("browser.logout_removes_token", "fail", f"on {self.page.url}", "none", note)
            return
        name = control.first.inner_text().strip()
        control.first.click()
        sent = f"clicked {name!r}"
        storage, key = self.stored
        gone = wait_for(self.page, lambda: find_stored(self.page, self.token) is None)
        if gone:
            self.add("browser.logout_removes_token", "pass", sent, f"{storage}[{key!r}] removed")
        else:
            note = f"The token is still in {storage}[{key!r}]: it still works for the next person."
            self.add("browser.logout_removes_token", "fail", sent, "token still stored", note)

    def guard(self) -> None:
        """browser.guard: the private page in a fresh browser, with no token at all."""
        url = self.private_url or self.target.app_url(self.target.login_path)
        watch = Watch(self.target)
        context = self.browser.new_context()
        watch.attach(context)
        try:
            page = context.new_page()
            page.set_default_timeout(NAVIGATION_MS)
            # Until the network has been quiet for half a second: the page has asked what it asks.
            page.goto(url, wait_until="networkidle")
            sent = f"opened {url} with empty storage"

            def bogus() -> list[tuple[Request, str]]:
                headers = [(r, r.all_headers().get("authorization", "")) for r in watch.requests]
                return [(r, v) for r, v in headers if v.strip().lower() in MISSING_TOKENS]

            def settled() -> bool:
                # A guard shows itself by leaving (or showing a login form); its absence by a
                # call without a token or the user's data. A slow page gets a little longer.
                login_form = form_on(page) is not None
                return bool(page.url != url or login_form or bogus() or self.user_line_on(page))

            wait_for(page, settled, 2.0)
            bogus_calls = bogus()
            # A login form is where a guard sends visitors (any text on it is not private).
            line = None if form_on(page) else self.user_line_on(page)
            if line:
                note = "Private data without a token: the page has no guard."
                self.add("browser.guard", "fail", sent, f"shows {line!r}", note)
            elif bogus_calls:
                request, value = bogus_calls[0]
                observed = f"{request.method} {request.url} with Authorization: {value!r}"
                note = (
                    "The page called the API without a token: it has no guard. Send visitors "
                    "without a token to the login page instead."
                )
                self.add("browser.guard", "fail", sent, observed, note)
            else:
                where = "stayed" if page.url == url else f"went to {page.url}"
                shown = "a login form" if form_on(page) else "nothing private"
                self.add("browser.guard", "pass", sent, f"{where}; shows {shown}")
        finally:
            context.close()

    def run(self) -> None:
        self.open_login_form()
        self.wrong_password()
        start = len(self.watch.requests)
        self.log_in()
        self.bearer_sent(start)
        if self.private_page():
            self.reload()
        else:
            note = "Needs the private page to show the user first."
            self.add("browser.reload_keeps_session", "skip", "", "", note)
        self.logout()
        self.guard()

    def close(self) -> None:
        self.context.close()


def run(target: Target, grade: Grade, token: str | None) -> None:
    """Every browser check, in order, in one headless Chromium."""
    ids = [cid for cid in CHECKS if cid.startswith("browser.")]
    reason = ""
    blocked: set[str] = set()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            session = Session(target, grade, browser, token)
            try:
                session.run()
            except Stop as stop:
                reason = stop.note
            finally:
                blocked = session.watch.blocked
                session.close()
                browser.close()
    except PlaywrightError as error:
        reason = f"The browser failed: {error.message.splitlines()[0]}"
        if not any(r.check.startswith("browser.") for r in grade.results):
            note = (
                reason + " Install a Chromium (Debian: apt-get install chromium; elsewhere: "
                "python -m playwright install chromium) or set CHROMIUM_PATH."
            )
            grade.add(Result("browser.login_form", "fail", "started Chromium", "", note))
    if reason.startswith("The app answered 429"):
        grade.rate_limited = grade.rate_limited or reason
        reason = RATE_LIMITED_NOTE
    if blocked:
        grade.blocked = sorted(blocked)
    done = {r.check for r in grade.results}
    for check_id in ids:
        if check_id not in done:
            grade.add(Result(check_id, "skip", "", "", reason or "Not reached."))
