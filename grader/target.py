"""The app being graded: where its API and pages are, and the account to log in with."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
import urllib3

# Every request is bounded: a student's app that hangs must not hang the grader.
TIMEOUT_S = 10
MAX_BODY = 1024 * 1024  # the most of one answer the grader reads (or its browser receives)
MAX_JSON_DEPTH = 64
READ_CHUNK = 64 * 1024
BODY_EXCERPT = 200
JWT_IN_TEXT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


class RateLimited(Exception):
    """The app answered 429: the grader stops asking (rate limiting is working)."""

    def __init__(self, exchange: Exchange) -> None:
        super().__init__(exchange.observed)
        self.exchange = exchange


class Deadline:
    """A moment work must be over by: `Deadline(10)` is ten seconds from now.

    `left()` is what remains (never negative), for a socket timeout or a wait; `passed` says
    whether the moment has come.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.end


@dataclass(frozen=True)
class Target:
    """Where the student's app runs. Paths are relative to `api` and `app`."""

    api: str
    app: str | None
    username: str
    password: str
    token_path: str = "/token"  # noqa: S105 (a route, not a password)
    # None: the route the page itself calls with its token (else /protected).
    protected_path: str | None = None
    login_path: str | None = None
    private_path: str | None = None
    # The login body's field names, when the browser cannot show them (--no-browser).
    username_field: str | None = None
    password_field: str | None = None
    # More accessible names of the log-out control (a regular expression).
    logout_name: str | None = None
    # The whole grade's time, in seconds.
    deadline: float = 120.0

    def api_url(self, path: str) -> str:
        return self.api.rstrip("/") + "/" + path.lstrip("/")

    def api_path(self) -> str:
        """The path part of API (e.g. /api), kept when the page calls another origin."""
        return urlsplit(self.api).path.rstrip("/")

    def app_url(self, path: str | None) -> str:
        assert self.app is not None
        return self.app.rstrip("/") + "/" + (path or "").lstrip("/")


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: what browsers compare for the same-origin policy."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def parse_json(text: str | bytes) -> object:
    """JSON that a student's app sent; ValueError when it is not JSON the grader can use.

    Python's parser recurses: JSON nested thousands deep raises RecursionError, and even a
    nesting it accepts would break whatever walks or prints it later. Nothing the lesson sends
    is nested more than a few levels, so anything deeper than MAX_JSON_DEPTH is refused here.
    """
    try:
        value = json.loads(text)
    except RecursionError as error:
        raise ValueError("JSON nested too deep to read") from error
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            if level > MAX_JSON_DEPTH:
                raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
            pending.extend((child, level + 1) for child in children)
    return value


@dataclass
class Exchange:
    """One request the grader sent and what came back, in the words the report uses.

    `cut` says why the body is incomplete ("answer cut at 1 MiB", "no complete answer within
    10 s"), or is empty when the whole answer arrived.
    """

    sent: str
    status: int
    headers: requests.structures.CaseInsensitiveDict
    text: str
    cut: str = ""

    def json(self) -> object:
        """The body as JSON, or None when it is not JSON (or too deeply nested to use)."""
        try:
            return parse_json(self.text)
        except ValueError:
            return None

    @property
    def observed(self) -> str:
        """Status and the start of the body, tokens in it shortened, and why it was cut."""
        excerpt = " ".join(self.text[: BODY_EXCERPT * 4].split())
        excerpt = JWT_IN_TEXT.sub(lambda match: shorten(match[0]), excerpt)
        if len(excerpt) > BODY_EXCERPT:
            excerpt = excerpt[:BODY_EXCERPT] + "..."
        cut = f" ({self.cut})" if self.cut else ""
        return f"{self.status} {excerpt}".strip() + cut


class DeadlinePassed(Exception):
    """The grade's deadline came before a request could end; the message says which request."""


# The whole grade's deadline, set once by whoever runs the grade (`set_grade_deadline`):
# every send() ends by it, besides its own TIMEOUT_S.
_grade_deadline: Deadline | None = None


def set_grade_deadline(deadline: Deadline | None) -> None:
    """Make every later send() end by `deadline` (None: no deadline but each request's own)."""
    global _grade_deadline  # one grade per process: set once, at its start
    _grade_deadline = deadline


class Reading:
    """One request read in a thread of its own, so the caller can stop waiting at any moment.

    A socket timeout bounds each read, not the sum of them: a server sending a byte every
    second would never time out. The caller waits for `done` until its deadline instead and
    takes what arrived by then; the thread stops reading at the same deadline.
    """

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.response: requests.Response | None = None
        self.body = bytearray()
        self.cut = ""
        self.error: requests.RequestException | None = None

    def run(self, request: requests.Request) -> None:
        try:
            self._read(request)
        except requests.RequestException as error:
            self.error = error
        except Exception as error:  # an answer urllib3 could not parse: say so, never crash
            self.error = requests.ConnectionError(f"unreadable answer: {error}", request=request)
        finally:
            self.done.set()

    def _read(self, request: requests.Request) -> None:
        with requests.Session() as session:
            response = session.send(
                session.prepare_request(request),
                timeout=max(self.deadline.left(), 0.1),
                allow_redirects=False,
                stream=True,
            )
            with self.lock:
                self.response = response
            with response:
                try:
                    self._read_body(response)
                except urllib3.exceptions.ReadTimeoutError:
                    self.cut = f"no complete answer within {self.deadline.seconds:.3g} s"
                except (urllib3.exceptions.HTTPError, OSError) as error:
                    self.cut = f"the answer broke off ({type(error).__name__})"

    def _read_body(self, response: requests.Response) -> None:
        while not self.deadline.passed:
            chunk = response.raw.read1(READ_CHUNK, decode_content=False)
            if not chunk:
                return
            with self.lock:
                self.body += chunk
                if len(self.body) > MAX_BODY:
                    del self.body[MAX_BODY:]
                    self.cut = f"answer cut at {MAX_BODY / 2**20:g} MiB"
                    return


def body_text(body: bytes, response: requests.Response) -> str:
    """The body as text: its declared charset (else UTF-8), undecodable bytes replaced."""
    try:
        return body.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", errors="replace")


def send(
    method: str,
    url: str,
    *,
    json_body: dict | None = None,
    form_body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    shown_body: str = "",
    deadline: Deadline | None = None,
) -> Exchange:
    """Send one request (no redirects followed) and read at most MAX_BODY of the answer.

    It ends within TIMEOUT_S, or by `deadline` when that comes sooner: no answer by then raises
    requests.ReadTimeout; an answer still arriving then is kept as far as it came, with `cut`
    saying so. It also ends by the grade's deadline (`set_grade_deadline`): a request that
    deadline stops (or that it leaves no time for) raises DeadlinePassed, since its answer
    would be judged incomplete. Raises RateLimited on a 429.
    """
    sent = f"{method} {url}"
    if shown_body:
        sent += f" {shown_body}"
    if headers and "Authorization" in headers:
        sent += f" with Authorization: {shorten(headers['Authorization'])}"
    if _grade_deadline is not None and _grade_deadline.passed:
        raise DeadlinePassed(f"{sent}: not sent, the grade's deadline had passed")
    own = TIMEOUT_S if deadline is None else min(TIMEOUT_S, deadline.left())
    grade_left = _grade_deadline.left() if _grade_deadline is not None else own
    cut_by_grade = grade_left < own
    bound = Deadline(min(own, grade_left))
    request = requests.Request(
        method,
        url,
        json=json_body,
        data=form_body,
        # A compressed answer could inflate far beyond MAX_BODY: ask for none, decode none.
        headers={"Accept-Encoding": "identity", **(headers or {})},
    )
    if bound.passed:
        raise requests.ReadTimeout(f"{sent}: not sent, no time left", request=request)
    reading = Reading(bound)
    threading.Thread(target=reading.run, args=(request,), daemon=True).start()
    finished = reading.done.wait(bound.left())
    if reading.error is not None:
        raise reading.error
    with reading.lock:
        response, body, cut = reading.response, bytes(reading.body), reading.cut
    if response is None or not finished or cut.startswith("no complete answer"):
        if cut_by_grade:
            raise DeadlinePassed(f"{sent}: cut by the grade's deadline")
        if response is None:
            raise requests.ReadTimeout(f"no answer within {bound.seconds:.3g} s", request=request)
        cut = f"no complete answer within {bound.seconds:.3g} s"
    text = body_text(body, response)
    exchange = Exchange(sent, response.status_code, response.headers, text, cut)
    if response.status_code == 429:
        raise RateLimited(exchange)
    return exchange


def shorten(value: str, keep: int = 24) -> str:
    """A long token cut in the middle, so a report line stays readable."""
    return value if len(value) <= 2 * keep else f"{value[:keep]}...{value[-8:]}"
