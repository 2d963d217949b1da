"""The app being graded: where its API and pages are, and the account to log in with."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

# Every request is bounded: a student's app that hangs must not hang the grader.
TIMEOUT_S = 10
MAX_BODY = 1024 * 1024  # the most of one answer the grader reads (or its browser receives)
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


@dataclass
class Exchange:
    """One request the grader sent and what came back, in the words the report uses."""

    sent: str
    status: int
    headers: requests.structures.CaseInsensitiveDict
    text: str

    def json(self) -> object:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.text)
        except ValueError:
            return None

    @property
    def observed(self) -> str:
        """Status and the start of the body, tokens in it shortened."""
        excerpt = " ".join(self.text.split())
        excerpt = JWT_IN_TEXT.sub(lambda match: shorten(match[0]), excerpt)
        if len(excerpt) > BODY_EXCERPT:
            excerpt = excerpt[:BODY_EXCERPT] + "..."
        return f"{self.status} {excerpt}".strip()


def send(
    method: str,
    url: str,
    *,
    json_body: dict | None = None,
    form_body: dict | None = None,
    headers: dict[str, str] | None = None,
    shown_body: str = "",
) -> Exchange:
    """Send one request (no redirects followed); raise RateLimited on a 429."""
    response = requests.request(
        method,
        url,
        json=json_body,
        data=form_body,
        headers=headers or {},
        timeout=TIMEOUT_S,
        allow_redirects=False,
    )
    sent = f"{method} {url}"
    if shown_body:
        sent += f" {shown_body}"
    if headers and "Authorization" in headers:
        sent += f" with Authorization: {shorten(headers['Authorization'])}"
    exchange = Exchange(sent, response.status_code, response.headers, response.text)
    if response.status_code == 429:
        raise RateLimited(exchange)
    return exchange


def shorten(value: str, keep: int = 24) -> str:
    """A long token cut in the middle, so a report line stays readable."""
    return value if len(value) <= 2 * keep else f"{value[:keep]}...{value[-8:]}"
