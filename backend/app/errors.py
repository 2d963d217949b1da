"""One JSON error shape for the whole API: {"msg": "..."} (the lesson's key).

Flask's own errors are HTML pages, which a `fetch` caller cannot show; under /api every error,
including 404, 405, 413 and a crash (500), is answered as JSON instead.
"""

from __future__ import annotations

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


def json_error(
    status: int, msg: str, headers: dict[str, str] | None = None, **extra: Any
) -> tuple[Response, int, dict[str, str]]:
    """Build an error response: {"msg": msg, **extra} with `status`."""
    return jsonify(msg=msg, **extra), status, headers or {}


def unauthorized(msg: str, token_sent: bool = True) -> tuple[Response, int, dict[str, str]]:
    """A 401 in the API's error shape, with the RFC 6750 `WWW-Authenticate` challenge.

    `Bearer` alone means "send a token"; `error="invalid_token"` means "the one you sent is
    no good" (expired, tampered, ...), which tells a client that logging in again may help.
    """
    challenge = "Bearer"
    if token_sent:
        # A header's quoted-string cannot hold quotes, backslashes or non-ASCII characters.
        description = "".join(c for c in msg if c.isascii() and c.isprintable() and c not in '"\\')
        challenge = f'Bearer error="invalid_token", error_description="{description}"'
    return json_error(401, msg, {"WWW-Authenticate": challenge})


def is_api_request() -> bool:
    """True for /api and everything under it."""
    return request.path == "/api" or request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    """Attach the handlers below to `app` (called by `create_app`)."""

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
            return json_error(400, MALFORMED_BODY)
        return None

    @app.errorhandler(HTTPException)
    def handle_http_exception(e: HTTPException) -> Any:
        """JSON for /api; for other GETs that matched no route, the SPA; else Flask's default."""
        if is_api_request():
            # Keep the exception's headers: 405 must say which methods are Allowed.
            headers = dict(e.get_headers())
            headers.pop("Content-Type", None)
            return json_error(e.code or 500, e.description or e.name, headers)
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
        return json_error(503, LOST_DATABASE, {"Retry-After": "1"})

    @app.errorhandler(InternalServerError)
    def handle_server_error(e: InternalServerError) -> Any:
        """A bug: Flask has already logged the traceback; the client gets no internals."""
        if is_api_request():
            return json_error(500, "Internal server error")
        return e
