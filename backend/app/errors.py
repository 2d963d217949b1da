"""One JSON error shape for the whole API: {"msg": "...", "error": "<kind>"}.

`msg` is the lesson's key: a sentence for people, which may be reworded. `error` is one of the
ErrorKind values below, for code: a client branches on it (and on the status), never on `msg`.

Flask's own errors are HTML pages, which a `fetch` caller cannot show; under /api every error,
including 404, 405, 413 and a crash (500), is answered as JSON instead.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask import Flask, Response, jsonify, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
    RequestHeaderFieldsTooLarge,
)

from app.spa import spa_response

LOST_DATABASE = "The connection to the database was lost; please try again"
MALFORMED_BODY = "The request body is malformed: its length or its chunked framing is broken"
# Methods whose requests carry a body here; the others' bodies are never read.
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A request whose headers (names and values together) are larger than this gets 431. The server
# in front (serve.py) and nginx (deploy/nginx) let larger heads through, so that the app, not
# their own error page, answers them.
MAX_HEADER_BYTES = 16 * 1024


class ErrorKind(StrEnum):
    """Every error's machine-readable kind: the `error` member of each error body.

    The names are part of the API (the SPA and /api/openapi.json rely on them): add new ones,
    never rename one. A client that meets a kind it does not know treats it like its status.
    """

    # 401: who are you? Log in (or, for token_expired, refresh once) and try again.
    # (S105: ruff takes a name with TOKEN in it for a password.)
    # No token: no Authorization header, no refresh cookie.
    TOKEN_MISSING = "token_missing"  # noqa: S105
    # Malformed, tampered, wrong algorithm, type, audience or issuer, a bad CSRF value.
    TOKEN_INVALID = "token_invalid"  # noqa: S105
    # A good token whose `exp` has passed: the client refreshes once.
    TOKEN_EXPIRED = "token_expired"  # noqa: S105
    # Logged out, a new password or role, or the token is on the blocklist.
    TOKEN_REVOKED = "token_revoked"  # noqa: S105
    REFRESH_REUSED = "refresh_reused"  # a refresh token used twice: its session is revoked
    SESSION_ENDED = "session_ended"  # a teacher ended the session on /classroom
    SESSION_OVER = "session_over"  # the session's absolute lifetime (SESSION_MAX_AGE) is over
    USER_NOT_FOUND = "user_not_found"  # the token's user has been deleted
    KEY_RETIRED = "key_retired"  # signed with a signing key an operator has retired
    BAD_CREDENTIALS = "bad_credentials"  # wrong username or password at login
    # 400: the request itself is wrong.
    VALIDATION_FAILED = "validation_failed"  # a field breaks its rule: `errors` says which
    BODY_NOT_JSON = "body_not_json"  # the body is missing or not a UTF-8 JSON object
    BODY_MALFORMED = "body_malformed"  # the body's length or chunked framing is broken
    BAD_REQUEST = "bad_request"  # any other request the server cannot read
    # 403: the token is good, but its holder may not do this.
    FORBIDDEN = "forbidden"  # a teacher's route, asked by a student
    SHARED_ACCOUNT = "shared_account"  # a change to a demo account the class shares
    NOT_FOUND = "not_found"  # 404: no such route or resource
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405: the `Allow` header lists the methods
    # 409: the request conflicts with what is there.
    USERNAME_TAKEN = "username_taken"
    OWN_SESSION = "own_session"  # a teacher ending their own session: Log out does that
    BODY_TOO_LARGE = "body_too_large"  # 413: over MAX_CONTENT_LENGTH (16 KiB)
    RATE_LIMITED = "rate_limited"  # 429: wait `Retry-After` seconds
    HEADERS_TOO_LARGE = "headers_too_large"  # 431: over MAX_HEADER_BYTES
    INTERNAL_ERROR = "internal_error"  # 500: a bug, logged on the server
    # 503: try again in a moment (`Retry-After`).
    SERVER_BUSY = "server_busy"  # the password-hashing queue is full
    DATABASE_UNAVAILABLE = "database_unavailable"  # no answer, or a dropped connection
    HTTP_ERROR = "http_error"  # any other status werkzeug raises: go by the status


# Errors werkzeug raises (routing, body size, ...) get their kind from their status.
HTTP_KINDS = {
    400: ErrorKind.BAD_REQUEST,
    404: ErrorKind.NOT_FOUND,
    405: ErrorKind.METHOD_NOT_ALLOWED,
    413: ErrorKind.BODY_TOO_LARGE,
    431: ErrorKind.HEADERS_TOO_LARGE,
    500: ErrorKind.INTERNAL_ERROR,
    503: ErrorKind.SERVER_BUSY,
}


def json_error(
    status: int,
    msg: str,
    kind: ErrorKind,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> tuple[Response, int, dict[str, str]]:
    """Build an error response: {"msg": msg, "error": kind, **extra} with `status`."""
    return jsonify(msg=msg, error=kind, **extra), status, headers or {}


def unauthorized(
    msg: str, kind: ErrorKind, *, token_sent: bool = True
) -> tuple[Response, int, dict[str, str]]:
    """A 401 in the API's error shape, with the RFC 6750 `WWW-Authenticate` challenge.

    `Bearer` alone means "send a token"; `error="invalid_token"` means "the one you sent is
    no good" (expired, tampered, ...), which tells a client that logging in again may help.
    `kind`, the body's `error`, says which it is (token_expired, token_revoked, ...).
    """
    challenge = "Bearer"
    if token_sent:
        # A header's quoted-string cannot hold quotes, backslashes or non-ASCII characters.
        description = "".join(c for c in msg if c.isascii() and c.isprintable() and c not in '"\\')
        challenge = f'Bearer error="invalid_token", error_description="{description}"'
    return json_error(401, msg, kind, {"WWW-Authenticate": challenge})


# Where the API answers: /api, and /.well-known for the public keys (RFC 8615 names that
# prefix). Requests there get JSON errors and the API's headers, never the SPA.
API_PREFIXES = ("/api/", "/.well-known/")


def is_api_request() -> bool:
    """True for /api, /.well-known and everything under them."""
    return request.path == "/api" or request.path.startswith(API_PREFIXES)


def refuse_unreadable_requests(app: Flask) -> None:
    """Install, on `app`, the two checks every request passes before any view (or token check):
    headers over MAX_HEADER_BYTES get 431, a body the client framed badly gets 400."""

    @app.before_request
    def refuse_oversized_headers() -> None:
        """431 for a request whose headers are over MAX_HEADER_BYTES, before any view runs."""
        environ = request.environ
        size = sum(len(k) + len(v) for k, v in environ.items() if k.startswith("HTTP_"))
        if size > MAX_HEADER_BYTES:
            raise RequestHeaderFieldsTooLarge(
                f"The request's headers are larger than {MAX_HEADER_BYTES // 1024} KiB"
            )

    @app.before_request
    def read_the_body_first() -> Any:
        """Read the whole body before any view: a body the client framed badly is a 400.

        The WSGI server decodes the framing (Content-Length, Transfer-Encoding: chunked) while
        the app reads, and each server raises its own exception for a bad chunk size or a body
        cut short (werkzeug an OSError, for one): whatever it is, the fault is the client's.
        Read here, inside one `try`, and cached for the views.
        """
        if request.method not in BODY_METHODS:
            return None
        try:
            request.get_data(cache=True)
        except RequestEntityTooLarge:
            raise  # over MAX_CONTENT_LENGTH: its own 413
        except Exception:  # werkzeug's ClientDisconnected too: a body shorter than announced
            app.logger.info("Malformed request body on %s %s", request.method, request.path)
            return json_error(400, MALFORMED_BODY, ErrorKind.BODY_MALFORMED)
        return None


def register_error_handlers(app: Flask) -> None:
    """Answer werkzeug's errors, a lost database connection and a crash in the API's shape."""

    @app.errorhandler(HTTPException)
    def handle_http_exception(e: HTTPException) -> Any:
        """JSON for /api; for other GETs that matched no route, the SPA; else Flask's default."""
        if is_api_request():
            # Keep the exception's headers: 405 must say which methods are Allowed.
            headers = dict(e.get_headers())
            headers.pop("Content-Type", None)
            status = e.code or 500
            kind = HTTP_KINDS.get(status, ErrorKind.HTTP_ERROR)
            return json_error(status, e.description or e.name, kind, headers)
        if e.code == 404 and request.method in ("GET", "HEAD"):
            # Routes like /private exist only in React, so Flask finds no route for them:
            # answering with index.html lets the SPA's router show the page (even on reload).
            return spa_response(request.path.lstrip("/"))
        return e

    @app.errorhandler(DBAPIError)
    def handle_lost_database_connection(e: DBAPIError) -> Any:
        """503 and "try again" when the database dropped the connection this request was using.

        A database restart, a failover or an idle timeout ends connections the pool still holds.
        SQLAlchemy notices (`connection_invalidated`) and renews the whole pool, so the same
        request sent again gets a new connection. Any other database error is a bug: a 500.
        """
        if not e.connection_invalidated:
            raise e  # Flask logs it and answers with the 500 below
        return json_error(503, LOST_DATABASE, ErrorKind.DATABASE_UNAVAILABLE, {"Retry-After": "1"})

    @app.errorhandler(InternalServerError)
    def handle_server_error(e: InternalServerError) -> Any:
        """A bug: Flask has already logged the traceback; the client gets no internals."""
        if is_api_request():
            return json_error(500, "Internal server error", ErrorKind.INTERNAL_ERROR)
        return e
