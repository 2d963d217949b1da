"""All the JWT wiring in one place: who a token is for, and what a rejected token gets.

flask-jwt-extended calls these functions:
- when a token is made: `user_identity` turns a User into the token's `sub` claim, and
  `role_claim` adds the user's `role` ("student" or "teacher");
- on every `@jwt_required()` call: `token_is_revoked` asks the database whether the token or its
  login session has been revoked (logout, refresh-token reuse, password change);
- when `@jwt_required()` accepts a token: `load_user` turns `sub` back into a User;
- when it rejects one: the error callbacks below, which all answer 401 with {"msg"} and a
  `WWW-Authenticate` header (RFC 6750), so the client can handle every failure in one place.

The lesson passed the integer `user.id` as the identity. Creating that token raises nothing, but
PyJWT 2.10+ refuses it on every check ("Subject must be a string": RFC 7519 section 4.1.2 makes
`sub` a string), which flask-jwt-extended answers with 422 by default; so we store str(user.id).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request
from flask_jwt_extended import get_jwt
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError
from sqlalchemy import Dialect, bindparam
from sqlalchemy.sql.compiler import Compiled

from app.errors import json_error
from app.extensions import db, jwt
from app.models import ENDED_BY_TEACHER, TEACHER, AuthSession, RevokedToken, User

# The ids our database can hold: 1 to 2**31 - 1 (users.id is a 32-bit INTEGER on PostgreSQL).
# Anything else in `sub` cannot be one of our users, and asking the database about it would
# fail ("integer out of range": a 500) instead of simply finding no one.
USER_ID_PATTERN = re.compile(r"[1-9][0-9]{0,9}")
MAX_USER_ID = 2**31 - 1


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
    return jsonify(msg=msg), 401, {"WWW-Authenticate": challenge}


CSRF_MISMATCH = "CSRF double submit tokens do not match"


def ascii_csrf_header(view: Callable) -> Callable:
    """Refuse a non-ASCII CSRF header with the library's own "do not match" 401.

    flask-jwt-extended compares the header with the token's `csrf` claim using
    `hmac.compare_digest`, which raises TypeError (a 500) for a str with non-ASCII characters.
    Our CSRF values are ASCII, so such a header can never match. Put above `@jwt_required`.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        value = request.headers.get(current_app.config["JWT_REFRESH_CSRF_HEADER_NAME"], "")
        if not value.isascii():
            return unauthorized(CSRF_MISMATCH, token_sent=False)
        return view(*args, **kwargs)

    return wrapper


@jwt.user_identity_loader
def user_identity(user: User | TokenUser) -> str:
    """`create_access_token(identity=user)` stores the user's id, as a string, in `sub`."""
    return str(user.id)


@jwt.additional_claims_loader
def role_claim(user: User | TokenUser) -> dict[str, str]:
    """Every token says the user's role, read from the user when the token is made.

    The claim is signed like the rest of the token, so editing it breaks the signature. It is as
    old as the token: a role change reaches the next token (a refresh, a login).
    """
    return {"role": user.role}


NOT_A_TEACHER = "Only a teacher may open the classroom view"
ENDED_BY_TEACHER_MSG = "Your session was ended by the teacher"


def teacher_required(view: Callable) -> Callable:
    """403 unless the token's `role` claim is "teacher". Put below `@jwt_required()`.

    The lesson expected a 403 for a missing token; that is a 401 (who are you?). 403 is for a
    valid token whose holder is known and not allowed: here, a student at a teacher's route.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if get_jwt().get("role") != TEACHER:
            return json_error(403, NOT_A_TEACHER)
        return view(*args, **kwargs)

    return wrapper


def user_id_from_sub(sub: object) -> int | None:
    """The user id in a token's `sub`, or None if it cannot be one of our users."""
    if not isinstance(sub, str) or not USER_ID_PATTERN.fullmatch(sub) or int(sub) > MAX_USER_ID:
        return None
    return int(sub)


@dataclass(frozen=True, slots=True)
class TokenUser:
    """Who an accepted token is for: `current_user` in every @jwt_required() view.

    Read by the revocation check's query, so knowing who is calling costs no second query. It is
    read-only on purpose: a view that changes the account loads the `User` row it changes.
    """

    id: int
    username: str
    role: str


# The revocation check's one query, on primary keys only: the user, their session `sid` (outer
# join: it may be gone) and whether the token's jti is on the blocklist. Written with SQLAlchemy
# like every other query; only the three values change from one request to the next.
TOKEN_STATE = (
    db.select(
        User.id,
        User.username,
        User.role,
        AuthSession.id.label("session_id"),
        AuthSession.revoked_at.is_not(None).label("session_revoked"),
        AuthSession.ended_reason,
        db.select(RevokedToken.jti)
        .where(RevokedToken.jti == bindparam("jti"))
        .exists()
        .label("jti_revoked"),
    )
    .outerjoin(
        AuthSession,
        (AuthSession.id == bindparam("sid")) & (AuthSession.user_id == User.id),
    )
    .where(User.id == bindparam("user_id"))
)


@cache
def _sql_for(dialect: Dialect) -> Compiled:
    # SQLAlchemy turns TOKEN_STATE into this database's SQL once per process, not per request.
    return TOKEN_STATE.compile(dialect=dialect)


def read_token_state(user_id: int, sid: str | None, jti: str | None) -> tuple | None:
    """TOKEN_STATE's one row (a tuple, in its column order), or None if there is no such user.

    The query runs through the database driver itself (DB-API) on a pooled connection: this is
    the hot path, and what SQLAlchemy does around a query (execution context, result objects,
    type conversion) costs several times the query itself. `make bench` measured 150-350 us
    per request saved under gunicorn. The pool, and so pre-ping and reconnects, are still
    SQLAlchemy's; every other query in the app goes through it normally.
    """
    engine = db.engine
    compiled = _sql_for(engine.dialect)
    values: dict[str, Any] | tuple[Any, ...] = {"user_id": user_id, "sid": sid, "jti": jti}
    if compiled.positiontup is not None:  # "?" placeholders (SQLite), not "%(jti)s" (psycopg)
        values = tuple(values[name] for name in compiled.positiontup)
    # closing() the pooled connection returns it to the pool.
    with closing(engine.raw_connection()) as connection, closing(connection.cursor()) as cursor:
        cursor.execute(compiled.string, values)
        return cursor.fetchone()


@jwt.token_in_blocklist_loader
def token_is_revoked(_jwt_header: dict, jwt_data: dict) -> bool:
    """True (-> 401 "Token has been revoked") when the token may no longer be used.

    Runs on EVERY @jwt_required() request, before `load_user`. A token is revoked when its jti
    was revoked (logout), or its session (`sid`) was revoked or no longer exists (reuse, logout,
    password change, pruned). A token without `sid` or `jti` could never be revoked, so it is
    refused (we issue none). A token for a user who is gone is left to `load_user`, so the
    answer names the real reason ("User not found").
    """
    user_id = user_id_from_sub(jwt_data.get("sub"))
    if user_id is None:
        return False  # load_user refuses it
    sid, jti = jwt_data.get("sid"), jwt_data.get("jti")
    row = read_token_state(
        user_id, sid if isinstance(sid, str) else None, jti if isinstance(jti, str) else None
    )
    if row is None:
        return False  # no such user: load_user refuses it
    user_id, username, role, session_id, session_revoked, ended_reason, jti_revoked = row
    g.token_user = TokenUser(user_id, username, role)  # for load_user, which comes next
    revoked = (
        session_id is None
        or bool(session_revoked)  # SQLite answers 0 or 1, PostgreSQL False or True
        or bool(jti_revoked)
        or not isinstance(jti, str)
    )
    if revoked and ended_reason == ENDED_BY_TEACHER:
        g.revoked_msg = ENDED_BY_TEACHER_MSG  # for revoked_token: the student is told why
    return revoked


@jwt.user_lookup_loader
def load_user(_jwt_header: dict, _jwt_data: dict) -> TokenUser | None:
    """The user a valid token is for; None (-> 401 "User not found") if they are gone.

    No query: `token_is_revoked` has just read the user, and flask-jwt-extended always runs it
    first. (The lesson queried `User` again in every view.)
    """
    return g.pop("token_user", None)


@jwt.unauthorized_loader
def missing_token(reason: str) -> Any:
    """No token at all (e.g. "Missing Authorization Header")."""
    return unauthorized(reason, token_sent=False)


@jwt.invalid_token_loader
def invalid_token(reason: str) -> Any:
    """Malformed, tampered, wrong algorithm, bad claims. flask-jwt-extended's default is 422."""
    return unauthorized(reason)


@jwt.expired_token_loader
def expired_token(_jwt_header: dict, _jwt_data: dict) -> Any:
    """A good signature, but `exp` is in the past: the client should log in (or refresh)."""
    return unauthorized("Token has expired")


@jwt.user_lookup_error_loader
def user_not_found(_jwt_header: dict, _jwt_data: dict) -> Any:
    """A valid token for a user who no longer exists."""
    return unauthorized("User not found")


@jwt.token_verification_failed_loader
def claims_rejected(_jwt_header: dict, _jwt_data: dict) -> Any:
    """Our own claims check failed. flask-jwt-extended's default is 400."""
    return unauthorized("Token claims verification failed")


@jwt.revoked_token_loader
def revoked_token(_jwt_header: dict, _jwt_data: dict) -> Any:
    """The token or its session was revoked (logout, refresh-token reuse, password change), or
    a teacher ended the session (then the message says so)."""
    return unauthorized(g.pop("revoked_msg", "Token has been revoked"))


@jwt.needs_fresh_token_loader
def needs_fresh_token(_jwt_header: dict, _jwt_data: dict) -> Any:
    """The route wants a token from a fresh login, not a refreshed one."""
    return unauthorized("Fresh token required")


def register_jwt_error_handlers(app: Flask) -> None:
    """A safety net: any PyJWT or flask-jwt-extended error not mapped above is still a 401.

    flask-jwt-extended registers handlers for the errors it knows; these catch the rest (for
    example a PyJWT error class added in a later release), so none can become a 500.
    """

    @app.before_request
    def one_authorization_header() -> Any:
        """Refuse an Authorization header that holds a list, like the library refuses two tokens.

        A server joins repeated headers with commas, and a bearer token never contains one.
        flask-jwt-extended strips a trailing or leading comma, so a good header next to an EMPTY
        one would be accepted; which header the client meant is ambiguous, so neither counts.
        """
        name = current_app.config["JWT_HEADER_NAME"]
        value = request.headers.get(name)
        if value is None or "," not in value or not request.path.startswith("/api/"):
            return None
        kind = current_app.config["JWT_HEADER_TYPE"]
        return unauthorized(
            f"Missing '{kind}' type in '{name}' header. Expected '{name}: {kind} <JWT>'",
            token_sent=False,
        )

    @app.errorhandler(PyJWTError)
    def handle_pyjwt_error(e: PyJWTError) -> Any:
        return unauthorized(str(e) or "Invalid token")

    @app.errorhandler(JWTExtendedException)
    def handle_jwt_extended_error(e: JWTExtendedException) -> Any:
        return unauthorized(str(e) or "Invalid token")
