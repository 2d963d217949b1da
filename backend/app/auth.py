"""All the JWT wiring in one place: who a token is for, and what a rejected token gets.

flask-jwt-extended calls these functions:
- when a token is made: `user_identity` turns a User into the token's `sub` claim;
- when `@jwt_required()` accepts a token: `load_user` turns `sub` back into a User;
- when it rejects one: the error callbacks below, which all answer 401 with {"msg"} and a
  `WWW-Authenticate` header (RFC 6750), so the client can handle every failure in one place.

The lesson passed identity=user.id (an int); flask-jwt-extended 4.7 rejects such a token with
422 "Subject must be a string" (JWT requires `sub` to be a string), so we store str(user.id).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, jsonify
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt.exceptions import PyJWTError

from app.extensions import db, jwt
from app.models import User

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


@jwt.user_identity_loader
def user_identity(user: User) -> str:
    """`create_access_token(identity=user)` stores the user's id, as a string, in `sub`."""
    return str(user.id)


@jwt.user_lookup_loader
def load_user(_jwt_header: dict, jwt_data: dict) -> User | None:
    """Load the user a valid token is for; None (-> 401 "User not found") if they are gone."""
    sub = jwt_data["sub"]
    if not isinstance(sub, str) or not USER_ID_PATTERN.fullmatch(sub) or int(sub) > MAX_USER_ID:
        return None
    return db.session.get(User, int(sub))


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
    """The token was revoked (logout; used from a later issue on)."""
    return unauthorized("Token has been revoked")


@jwt.needs_fresh_token_loader
def needs_fresh_token(_jwt_header: dict, _jwt_data: dict) -> Any:
    """The route wants a token from a fresh login, not a refreshed one."""
    return unauthorized("Fresh token required")


def register_jwt_error_handlers(app: Flask) -> None:
    """A safety net: any PyJWT or flask-jwt-extended error not mapped above is still a 401.

    flask-jwt-extended registers handlers for the errors it knows; these catch the rest (for
    example a PyJWT error class added in a later release), so none can become a 500.
    """

    @app.errorhandler(PyJWTError)
    def handle_pyjwt_error(e: PyJWTError) -> Any:
        return unauthorized(str(e) or "Invalid token")

    @app.errorhandler(JWTExtendedException)
    def handle_jwt_extended_error(e: JWTExtendedException) -> Any:
        return unauthorized(str(e) or "Invalid token")
