"""The browser checks: the student's pages in a real Chromium, driven like a person would.

The grader does not know the app's markup, so it finds the login form by what every login form
has: a password input, the text or email input before it, and the button that submits them.
Everything else it judges from what a person (or the devtools) would see: the page's visible
text, the requests it sends and their answers, and what it keeps in storage.

What it compares is behaviour, not one way of writing it: "a JWT this app keeps and sends, which
the API accepts", whatever the storage key, however many tokens (access and refresh), whether the
app moves to another page after the login or refreshes its token on load.

Only API and APP are contacted: Chromium goes through the grader's filtering proxy (proxy.py),
which refuses every other host below the page, so CORS preflights happen exactly as in the
student's own browser. A watchdog ends Chromium when the page stops answering.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable

from playwright.sync_api import Browser, Locator, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from requests.structures import CaseInsensitiveDict

from .api_checks import RATE_LIMITED_NOTE, SETUP_NOTE, Seen, find_token, skip_missing
from .browser_watch import (
    MAX_DIALOGS,
    NO_TOKEN,
    STALL_S,
    WAIT_S,
    Call,
    Stored,
    T,
    Watch,
    Watchdog,
    carries,
    form_on,
    http_only_cookies,
    login_shape,
    shows_user,
    stored_tokens,
    visible_lines,
    wait_for,
)
from .checks import CHECKS, Grade, Result, SetupProblem, Status
from .proxy import Answer, FilteringProxy, grader_launch_options
from .target import Deadline, Exchange, Target, origin, shorten

SETTLE_S = 5.0
ACTION_MS = 10_000

# Accessible names (text, aria-label or title) of the controls, in the languages students write.
LOGOUT_NAME = re.compile(
    r"log\s*-?\s*out|log\s*-?\s*off|sign\s*-?\s*out|"
    r"cerrar\s+(la\s+)?sesi[oó]n|salir|desconectar|"
    r"sair|terminar\s+sess[aã]o|encerrar\s+sess[aã]o|finalizar\s+sess[aã]o",
    re.IGNORECASE,
)
LOGIN_NAME = re.compile(
    r"log\s*-?\s*in|sign\s*-?\s*in|iniciar\s+sesi[oó]n|ingresar|entrar|acceder|"
    r"fazer\s+login",
    re.IGNORECASE,
)

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
CORS_BLOCKED = "blocked by CORS policy"
HELD_BY_PAGE = "held by the page"


def lesson_causes(watch: Watch, where: str, since: int = 0) -> str:
    """The lesson's own errors among the page's errors (from `since` on), explained."""
    seen = " ".join(watch.errors[since:])
    return " ".join(why for text, why in LESSON_CAUSES[where].items() if text in seen)


def cors_note(watch: Watch, since: int = 0) -> str:
    """A sentence when the browser blocked an API call for CORS (from `since` on)."""
    if any(CORS_BLOCKED in error for error in watch.errors[since:]):
        return (
            "The browser blocked a call to the API (CORS: see api.cors): the preflight "
            "(OPTIONS) must answer 2xx with the app's origin and the headers asked for."
        )
    return ""


class Stop(Exception):
    """The browser checks cannot go on; `note` says why (a 429, the app unreachable...)."""

    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


class SetupStop(Stop):
    """A set-up problem stops the browser checks: nothing about the code is concluded."""

    def __init__(self, problem: SetupProblem) -> None:
        super().__init__(problem.problem)
        self.problem = problem


class Tab:
    """The page the browser checks drive, what watches it, and what the steps learn on the way."""

    def __init__(
        self,
        target: Target,
        grade: Grade,
        browser: Browser,
        proxy: FilteringProxy,
        watchdog: Watchdog,
    ) -> None:
        self.target = target
        self.proxy = proxy
        self.taken: set[int] = set()
        self.grade = grade
        self.browser = browser
        self.watchdog = watchdog
        self.watch = Watch(target)
        self.context = browser.new_context(service_workers="block")
        self.watch.attach(self.context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(ACTION_MS)
        self.login_lines: set[str] = set()
        self.private_url: str | None = None
        self.stored: list[Stored] = []
        self.refresh_cookies: list[str] = []
        self.seen = Seen()
        self.opaque: str | None = None
        self.logged_in_at = 0

    def add(
        self, check: str, status: Status, *, sent: str = "", observed: str = "", note: str = ""
    ) -> None:
        """Record one result."""
        self.grade.add(Result(check, status, sent=sent, observed=observed, note=note))

    def wait(self, condition: Callable[[], T], seconds: float = WAIT_S) -> T:
        """`wait_for` on the page, minding alert() floods and the watchdog."""

        def watched() -> T:
            self.watchdog.beat()
            if self.watch.dialog_count > MAX_DIALOGS:
                raise Stop(
                    f"The page opened more than {MAX_DIALOGS} alert() dialogs: the grader "
                    "stopped there (an alert in a loop?)."
                )
            return condition()

        return wait_for(self.page, watched, seconds)

    def goto(self, url: str, page: Page | None = None) -> None:
        self.watchdog.beat()
        try:
            (page or self.page).goto(url, wait_until="load")
        except PlaywrightError as error:
            first_line = error.message.splitlines()[0][:200]
            raise Stop(
                f"Could not open {url} ({first_line}): the page did not finish loading "
                f"in {ACTION_MS // 1000} s."
            ) from error

    def form_now(self) -> dict | None:
        return form_on(self.page)

    def find_form(self) -> dict | None:
        return self.wait(self.form_now)

    def user_line(self) -> str | None:
        return shows_user(self.page, self.target.username, self.login_lines)

    def close(self) -> None:
        with contextlib.suppress(PlaywrightError):  # Chromium may have been ended already
            self.context.close()


class LoginSteps(Tab):
    """Steps 1 and 2: find the login form, submit a wrong password, then the right one."""

    def open_login_form(self) -> None:
        """browser.login_form: LOGIN_PATH, else the first page, else its Log in link."""
        url = self.target.app_url(self.target.login_path)
        try:
            self.goto(url)
        except Stop as stop:
            self.add("browser.login_form", "fail", sent=f"opened {url}", note=stop.note)
            raise Stop("Not run: the app's page could not be opened.") from stop
        link = self.page.get_by_role("link", name=LOGIN_NAME).or_(
            self.page.get_by_role("button", name=LOGIN_NAME)
        )
        follow_link = self.target.login_path is None
        # Whichever shows first: the form itself, or (on a home page) the way to it.
        self.wait(lambda: self.form_now() or (follow_link and link.count()))
        form = self.form_now()
        if form is None and follow_link and link.count():
            link.first.click()
            # A form shows before the page's scripts run: submitting it then would send the
            # browser's own GET instead of the app's login request.
            with contextlib.suppress(PlaywrightError):
                self.page.wait_for_load_state("load")
            form = self.find_form()
        where = self.page.url
        if form is None:
            note = f"No password field on {where}. Set LOGIN_PATH to the page with your login form."
            self.add(
                "browser.login_form",
                "fail",
                sent=f"opened {url}",
                observed="no password input",
                note=note,
            )
            raise Stop("Needs the login form.")
        if form["username"] < 0:
            note = "A password field, but no text or email field before it for the username."
            self.add(
                "browser.login_form",
                "fail",
                sent=f"opened {where}",
                observed=str(form["describe"]),
                note=note,
            )
            raise Stop("Needs the login form.")
        username, password, button = form["describe"]
        observed = f"on {where}: username field {username!r}, password field {password!r}, "
        observed += f"button {button!r}" if button else "no button (Enter submits)"
        self.add("browser.login_form", "pass", sent=f"opened {url}", observed=observed)
        self.login_lines = visible_lines(self.page)

    def submit(self, username: str, password: str) -> Call | None:
        """Fill the form and submit it; the request that carried the password, once answered."""
        form = self.find_form()
        if form is None:
            raise Stop("The login form disappeared after the first attempt.")
        inputs = self.page.locator("input")
        inputs.nth(form["username"]).fill(username)
        inputs.nth(form["password"]).fill(password)
        start = len(self.watch.calls)
        if form["submit"] >= 0:
            self.page.locator("button, input[type=submit]").nth(form["submit"]).click()
        else:
            inputs.nth(form["password"]).press("Enter")

        def carrier() -> Call | None:
            for call in self.watch.calls[start:]:
                if call.method == "POST" and carries(call.body, password):
                    return call
            return None

        call = self.wait(carrier, WAIT_S * 2)
        if not isinstance(call, Call):
            return None
        if origin(call.url) != origin(self.target.api):
            suggested = origin(call.url) + (self.target.api_path() or "")
            raise SetupStop(
                SetupProblem(
                    f"The page sends the login to {origin(call.url)}, not to API "
                    f"({self.target.api}).",
                    f"Grade with API={suggested} (the address the front end really calls), or "
                    "point the front end at the API you meant.",
                )
            )
        self.wait(lambda: call.status is not None or call.failure is not None, WAIT_S * 2)
        if call.status == 429:
            raise Stop(
                "The app answered 429 to the login form (it rate-limits: good); the browser "
                "checks after it did not run: grade again in a minute."
            )
        return call

    def answer(self, call: Call) -> Exchange:
        """The API's answer to `call` as the API checks read it, from the proxy's copy.

        The page may have moved on already (the browser then keeps no body); the proxy kept
        every answer, and the oldest one to this request not yet taken is this call's.
        """

        def kept() -> Answer | None:
            fresh = [
                a for a in self.proxy.answers(call.method, call.url) if a.number not in self.taken
            ]
            return fresh[0] if fresh else None

        record = self.wait(kept, 2)
        if not isinstance(record, Answer):
            return Exchange(call.shown(), call.status or 0, CaseInsensitiveDict(), "")
        self.taken.add(record.number)
        return Exchange(
            call.shown(), record.status, CaseInsensitiveDict(record.headers), record.text
        )

    def wrong_password(self) -> None:
        """browser.wrong_password_message: a mistyped password, and what the page says."""
        before = visible_lines(self.page)
        self.login_lines |= before  # what the login page shows by now (a list may load late)
        errors_before = len(self.watch.errors)
        dialogs_before = len(self.watch.dialogs)
        sent = f"submitted the form as {self.target.username!r} with a wrong password"
        wrong = self.target.password + "-wrong"
        call = self.submit(self.target.username, wrong)
        if call is None:
            note = "Submitting the form sent no POST with the password to the API."
            self.add(
                "browser.wrong_password_message",
                "fail",
                sent=sent,
                observed="no request",
                note=note,
            )
            return
        self.seen.shape = login_shape(call, self.target.username, wrong)
        if call.status is not None:
            self.seen.wrong = self.answer(call)

        def message() -> str | None:
            if len(self.watch.dialogs) > dialogs_before:
                return f"alert(): {self.watch.dialogs[-1]}"
            alerts = self.page.get_by_role("alert")
            try:
                for index in range(min(alerts.count(), 5)):
                    text = alerts.nth(index).inner_text(timeout=2000).strip()
                    if text:
                        return text[:200]
            except PlaywrightError:
                return None
            new = sorted(visible_lines(self.page) - before)
            return " / ".join(line[:100] for line in new[:3]) if new else None

        shown = self.wait(message)
        observed = f"the API answered {call.status}; the page showed: {shown or 'nothing new'}"
        causes = lesson_causes(self.watch, "login", errors_before)
        if not shown:
            note = " ".join(filter(None, [causes, cors_note(self.watch, errors_before)]))
            self.add(
                "browser.wrong_password_message", "fail", sent=sent, observed=observed, note=note
            )
        elif LESSON_LOGIN_ERROR in str(shown):
            note = (
                "A message, but not why: the lesson's `if(!resp.ok) throw` comes before its "
                "401 branch, which never runs. Show the server's msg instead."
            )
            self.add(
                "browser.wrong_password_message", "warn", sent=sent, observed=observed, note=note
            )
        else:
            self.add("browser.wrong_password_message", "pass", sent=sent, observed=observed)

    def log_in(self) -> None:
        """browser.logs_in: the right password, and the app's answer to it."""
        sent = f"submitted the form as {self.target.username!r} with the right password"
        errors_before = len(self.watch.errors)
        self.logged_in_at = len(self.watch.calls)
        call = self.submit(self.target.username, self.target.password)
        if call is not None:
            self.seen.shape = login_shape(call, self.target.username, self.target.password)
            if call.status is not None:
                self.seen.right = self.answer(call)
                _field, token = find_token(self.seen.right.json())
                # A token that is not a JWT is looked for in storage as it is.
                if isinstance(token, str) and len(token) >= 16:
                    self.opaque = token
        status = call.status if call else None
        if call is None or status is None or not 200 <= status < 300:
            observed = "no request" if call is None else f"the API answered {status}"
            if call is not None and call.failure:
                observed = f"no answer ({call.failure})"
            note = cors_note(self.watch, errors_before)
            if call is None:
                note = note or "Submitting the form sent no POST with the password to the API."
            elif status in (400, 415, 422):
                note = note or (
                    "The API refused what the form sent: the form's fields must be the ones "
                    "the token route reads (JSON with Content-Type: application/json)."
                )
            elif status in (401, 403):
                note = (
                    f"The API refused {self.target.username!r} with its right password: create "
                    "that account first (or check USERNAME and PASSWORD)."
                )
            self.add("browser.logs_in", "fail", sent=sent, observed=observed, note=note)
            raise Stop("Needs a successful login in the browser.")
        self.add("browser.logs_in", "pass", sent=sent, observed=f"{call.shown()} answered {status}")


class TokenSteps(Tab):
    """Step 5 after the login: where the token is kept, that it is sent, what the page shows."""

    def settle(self) -> None:
        """Let the page do what it does after a login: move to a page, refresh, load data."""
        url, calls, since = self.page.url, len(self.watch.calls), time.monotonic()

        def quiet() -> bool:
            nonlocal url, calls, since
            if self.page.url != url or len(self.watch.calls) != calls:
                url, calls, since = self.page.url, len(self.watch.calls), time.monotonic()
            return time.monotonic() - since >= 0.7

        self.wait(quiet, SETTLE_S)
        self.private_url = (
            self.target.app_url(self.target.private_path)
            if self.target.private_path
            else self.page.url
        )

    def sent_tokens(self) -> list[Call]:
        """The page's API calls since the login that carried a Bearer JWT the API accepted."""
        return [c for c in self.watch.api_calls(self.logged_in_at) if c.bearer and c.accepted]

    def token_stored(self) -> None:
        """browser.token_stored and browser.token_cookie: where the app keeps its token."""
        self.stored = self.wait(lambda: stored_tokens(self.page, self.opaque)) or []
        self.refresh_cookies = http_only_cookies(self.page, self.target.api)
        readable = [s for s in self.stored if s.where == "cookie" and s.readable]
        if readable:
            cookie = readable[0]
            note = f"The cookie {cookie.key!r} holds a JWT and is not HttpOnly."
            self.add("browser.token_cookie", "warn", observed=f"cookie {cookie.key!r}", note=note)
        else:
            self.add(
                "browser.token_cookie", "pass", observed="no token in a script-readable cookie"
            )
        in_storage = [s for s in self.stored if s.where != "cookie" or s.readable]
        if in_storage:
            used = {c.bearer for c in self.sent_tokens()}
            first = next((s for s in in_storage if s.token in used), in_storage[0])
            observed = first.shown() + (", the token the app sends" if first.token in used else "")
            if len(in_storage) > 1:
                observed += (
                    f" ({len(in_storage)} tokens kept: "
                    + ", ".join(s.shown() for s in in_storage[:4])
                    + ")"
                )
            note = ""
            if first.where == "sessionStorage":
                note = "sessionStorage lasts as long as the tab (the lesson uses localStorage)."
            self.add("browser.token_stored", "pass", observed=observed, note=note)
        elif self.refresh_cookies:
            observed = (
                "in memory, with an HttpOnly cookie from the API "
                f"({', '.join(self.refresh_cookies[:3])}) to get a new one"
            )
            self.add("browser.token_stored", "pass", observed=observed)
        else:
            note = (
                "The token is kept nowhere the browser keeps data, and there is no HttpOnly "
                "refresh cookie: a JavaScript variable is lost on reload."
            )
            observed = "no JWT in localStorage, sessionStorage or cookies"
            self.add("browser.token_stored", "fail", observed=observed, note=note)

    def token_source(self, token: str) -> str:
        """Where the app got `token`, in the report's words."""
        for stored in self.stored:
            if stored.token == token:
                return f"kept in {stored.shown()}"
        right = self.seen.right
        if right is not None and token in right.text:
            return "from the login's answer"
        for answer in self.proxy.all_answers():
            if token in answer.text:
                return f"from the answer to {answer.method} {answer.url}"
        return HELD_BY_PAGE

    def bearer_sent(self) -> None:
        """browser.bearer_sent: API calls after the login carry a token the API accepts."""
        calls = self.wait(lambda: self.sent_tokens())
        if not calls and self.private_url and self.page.url != self.private_url:
            self.goto(self.private_url)
            calls = self.wait(lambda: self.sent_tokens())
        if calls:
            call = calls[-1]
            token = call.bearer or ""
            observed = (
                f"Authorization: Bearer {shorten(token)} ({self.token_source(token)}), "
                f"answered {call.status}"
            )
            self.add("browser.bearer_sent", "pass", sent=call.shown(), observed=observed)
            return
        after = [c for c in self.watch.api_calls(self.logged_in_at) if c.method != "OPTIONS"]
        after = [c for c in after if not carries(c.body, self.target.password)]
        with_bearer = [c for c in after if c.bearer]
        odd = [c for c in after if c.authorization and not c.bearer]
        if with_bearer:
            call = with_bearer[-1]
            token = call.bearer or ""
            source = self.token_source(token)
            answer = f"answered {call.status}" if call.status else "never reached the API"
            observed = f"Authorization: Bearer {shorten(token)} ({source}), {answer}"
            if call.status is None:
                # The browser stopped it (a refused CORS preflight, say): the API never saw it.
                note = cors_note(self.watch) or f"The call failed in the browser ({call.failure})."
                self.add(
                    "browser.bearer_sent", "fail", sent=call.shown(), observed=observed, note=note
                )
            elif source != HELD_BY_PAGE:
                # The front end did its part; why the API refused it is the API checks' finding.
                self.seen.token = token
                note = f"The API answered {call.status}: see the API checks (step 4 and 5)."
                self.add(
                    "browser.bearer_sent", "pass", sent=call.shown(), observed=observed, note=note
                )
            else:
                note = "A token the app did not get from the API's answers, and the API refused it."
                self.add(
                    "browser.bearer_sent", "fail", sent=call.shown(), observed=observed, note=note
                )
        elif odd:
            call = odd[-1]
            value = call.authorization or ""
            note = "Not `Bearer <token>`: @jwt_required() reads only that form."
            if value.strip().lower() in NO_TOKEN:
                note = "The header names no token: the page read it before it was stored."
            self.add(
                "browser.bearer_sent",
                "fail",
                sent=call.shown(),
                observed=f"Authorization: {shorten(value)}",
                note=note,
            )
        else:
            observed = (
                f"{len(after)} API call(s) after the login, none with an Authorization header"
            )
            note = cors_note(self.watch)
            self.add("browser.bearer_sent", "fail", observed=observed, note=note)

    def private_page(self) -> bool:
        """browser.private_shows_user."""
        if self.target.private_path and self.page.url != self.private_url:
            self.goto(self.private_url or "")
        line = self.wait(self.user_line, 5)
        sent = f"looked for {self.target.username!r} on {self.page.url}"
        if line:
            self.add("browser.private_shows_user", "pass", sent=sent, observed=f"shows {line!r}")
            return True
        notes = [lesson_causes(self.watch, "private"), cors_note(self.watch)]
        if any(c.status == 422 for c in self.watch.api_calls(self.logged_in_at)):
            notes.insert(0, "The protected route answered 422 (see api.sub_is_string).")
        note = " ".join(filter(None, notes))
        self.add(
            "browser.private_shows_user",
            "fail",
            sent=sent,
            observed="the username is not shown",
            note=note,
        )
        return False

    def reload(self) -> None:
        """browser.reload_keeps_session."""
        sent = f"reloaded {self.page.url}"
        self.watchdog.beat()
        try:
            self.page.reload(wait_until="load")
        except PlaywrightError as error:
            raise Stop(
                f"The reload did not finish: {error.message.splitlines()[0][:200]}"
            ) from error
        line = self.wait(self.user_line, 5)
        if line:
            self.add(
                "browser.reload_keeps_session", "pass", sent=sent, observed=f"still shows {line!r}"
            )
        else:
            note = "After a reload the user is gone: read the token from storage on start."
            self.add(
                "browser.reload_keeps_session",
                "fail",
                sent=sent,
                observed="the username is gone",
                note=note,
            )


class LogoutSteps(Tab):
    """Step 5 at the end: Log out removes the token, and a visitor without one is kept out."""

    def logout_control(self) -> Locator:
        names = LOGOUT_NAME
        if self.target.logout_name:
            names = re.compile(f"{LOGOUT_NAME.pattern}|{self.target.logout_name}", re.IGNORECASE)
        return (
            self.page.get_by_role("button", name=names)
            .or_(self.page.get_by_role("link", name=names))
            .or_(self.page.get_by_role("menuitem", name=names))
        )

    def logout(self) -> None:
        """browser.logout_removes_token."""
        kept = [
            s for s in stored_tokens(self.page, self.opaque) if s.where != "cookie" or s.readable
        ]
        if not kept and not self.refresh_cookies:
            note = "The token was not stored, so there is nothing for Log out to remove."
            self.add("browser.logout_removes_token", "skip", note=note)
            return
        control = self.logout_control()
        if not self.wait(lambda: control.count(), 2):
            note = (
                "No button or link named Log out, Sign out, Cerrar sesión, Salir or Sair on the "
                "private page (its text, aria-label or title); pass LOGOUT_NAME if yours differs."
            )
            self.add(
                "browser.logout_removes_token",
                "fail",
                sent=f"on {self.page.url}",
                observed="none",
                note=note,
            )
            return
        first = control.first
        name = (first.get_attribute("aria-label") or first.inner_text() or "").strip()[:80]
        first.click()
        sent = f"clicked {name or 'the log-out control'!r}"
        if kept:
            old = {s.token for s in kept}

            def gone() -> bool:
                now = stored_tokens(self.page, self.opaque)
                return not any(s.token in old for s in now if s.where != "cookie" or s.readable)

            if self.wait(gone):
                shown = ", ".join(s.shown() for s in kept[:3])
                self.add(
                    "browser.logout_removes_token", "pass", sent=sent, observed=f"{shown} removed"
                )
            else:
                left = kept[0].shown()
                note = f"The token is still in {left}: it still works for the next person."
                self.add(
                    "browser.logout_removes_token",
                    "fail",
                    sent=sent,
                    observed="token still stored",
                    note=note,
                )
            return
        # A token in memory: Log out must end the refresh cookie, or a reload logs back in.
        self.wait(lambda: self.page.url != self.private_url, 2)
        self.goto(self.private_url or self.target.app_url(None))
        line = self.wait(self.user_line, 3)
        if line:
            note = (
                "After Log out, opening the private page again logs the user back in: the "
                "refresh cookie still works. Clear it (and revoke it) on log out."
            )
            self.add(
                "browser.logout_removes_token",
                "fail",
                sent=sent,
                observed=f"shows {line!r}",
                note=note,
            )
        else:
            self.add(
                "browser.logout_removes_token", "pass", sent=sent, observed="the session is gone"
            )

    def guard(self) -> None:
        """browser.guard: the private page in a fresh browser, with no token at all."""
        url = self.private_url or self.target.app_url(self.target.login_path)
        watch = Watch(self.target)
        context = self.browser.new_context(service_workers="block")
        watch.attach(context)
        try:
            page = context.new_page()
            page.set_default_timeout(ACTION_MS)
            self.goto(url, page)
            sent = f"opened {url} with empty storage"

            def bogus() -> list[Call]:
                return [
                    c
                    for c in watch.api_calls()
                    if (c.authorization or "").strip().lower() in NO_TOKEN
                ]

            def user_line() -> str | None:
                return shows_user(page, self.target.username, self.login_lines)

            def settled() -> bool:
                self.watchdog.beat()
                # A guard shows itself by leaving (or showing a login form); its absence by a
                # call without a token or the user's data. A slow page gets a little longer.
                login_form = form_on(page) is not None
                return bool(page.url != url or login_form or bogus() or user_line())

            wait_for(page, settled, 3.0)
            bogus_calls = bogus()
            # A login form is where a guard sends visitors (any text on it is not private).
            line = None if form_on(page) else user_line()
            if line:
                note = "Private data without a token: the page has no guard."
                self.add("browser.guard", "fail", sent=sent, observed=f"shows {line!r}", note=note)
            elif bogus_calls:
                call = bogus_calls[0]
                observed = f"{call.shown()} with Authorization: {call.authorization!r}"
                note = (
                    "The page called the API without a token: it has no guard. Send visitors "
                    "without a token to the login page instead."
                )
                self.add("browser.guard", "fail", sent=sent, observed=observed, note=note)
            else:
                where = "stayed" if page.url == url else f"went to {page.url}"
                shown = "a login form" if form_on(page) else "nothing private"
                self.add("browser.guard", "pass", sent=sent, observed=f"{where}; shows {shown}")
        finally:
            context.close()


class Session(LoginSteps, TokenSteps, LogoutSteps):
    """One run of the browser checks against one app, phase by phase."""

    def log_in_and_use_the_token(self) -> Seen:
        """The checks up to a working session; returns what the API checks reuse."""
        self.open_login_form()
        self.wrong_password()
        self.log_in()
        self.settle()
        self.token_stored()
        self.bearer_sent()
        if self.private_page():
            self.reload()
        else:
            note = "Needs the private page to show the user first."
            self.add("browser.reload_keeps_session", "skip", note=note)
        # The token in use now (a reload may have refreshed it).
        latest = self.sent_tokens()
        if latest:
            self.seen.token = latest[-1].bearer
            self.seen.protected_calls = [c.url for c in latest if c.method == "GET"]
        return self.seen

    def log_out_and_guard(self) -> None:
        """The checks after the API checks: Log out, then a fresh browser without a token."""
        self.logout()
        self.guard()


class BrowserRun:
    """Chromium behind the filtering proxy, for one grade; the API checks run in its middle."""

    def __init__(self, target: Target, grade: Grade, deadline: Deadline) -> None:
        self.target = target
        self.grade = grade
        self.deadline = deadline

    def run(self, api_part: Callable[[Seen | None], None]) -> None:
        """The browser checks, with `api_part(seen)` called once the app's session works."""
        ids = [cid for cid in CHECKS if cid.startswith("browser.")]
        reason = ""
        api_done = False
        watchdog = Watchdog(self.deadline)
        allowed = {origin(self.target.api), origin(self.target.app or "")}
        session: Session | None = None
        try:
            with FilteringProxy(allowed_origins=allowed) as proxy, sync_playwright() as playwright:
                browser = playwright.chromium.launch(**grader_launch_options(proxy.url))
                watchdog.start()
                session = Session(self.target, self.grade, browser, proxy, watchdog)
                try:
                    seen = session.log_in_and_use_the_token()
                    api_done = True
                    api_part(seen)
                    watchdog.beat()
                    session.log_out_and_guard()
                except SetupStop as stop:
                    self.grade.setup.append(stop.problem)
                except Stop as stop:
                    reason = stop.note
                except PlaywrightError as error:
                    reason = self.ended(watchdog, error)
                finally:
                    self.grade.blocked = list(dict.fromkeys([*self.grade.blocked, *proxy.refused]))
                    session.close()
                    with contextlib.suppress(PlaywrightError):
                        browser.close()
        except PlaywrightError as error:
            reason = self.ended(watchdog, error)
            if not any(r.check.startswith("browser.") for r in self.grade.results):
                note = (
                    reason + " Install a Chromium (Debian: apt-get install chromium; elsewhere: "
                    "python -m playwright install chromium) or set CHROMIUM_PATH."
                )
                self.grade.add(
                    Result("browser.login_form", "fail", sent="started Chromium", note=note)
                )
        finally:
            watchdog.stop()
        if self.grade.setup:
            reason = SETUP_NOTE
            skip_missing(self.grade, list(CHECKS), SETUP_NOTE)
        elif not api_done:
            api_part(
                session.seen if session and (session.seen.right or session.seen.wrong) else None
            )
        if reason.startswith("The app answered 429"):
            self.grade.rate_limited = self.grade.rate_limited or reason
            reason = RATE_LIMITED_NOTE
        done = {r.check for r in self.grade.results}
        for check_id in ids:
            if check_id not in done:
                self.grade.add(Result(check_id, "skip", note=reason or "Not reached."))

    def ended(self, watchdog: Watchdog, error: PlaywrightError) -> str:
        """Why the browser went away, in the report's words."""
        if watchdog.fired == "deadline":
            self.grade.deadline_passed = (
                f"The grade's {self.target.deadline:.0f} s deadline passed during the browser "
                "checks; the checks after it did not run."
            )
            return "Not run: the grade's deadline passed (see the end of the report)."
        if watchdog.fired == "stalled":
            return (
                f"The page stopped answering for {STALL_S:.0f} s (a script that never ends?): "
                "the grader ended the browser there."
            )
        return f"The browser failed: {error.message.splitlines()[0][:200]}"
