"""What flask-jwt-extended calls: who a token is for, whether it is revoked, what a reject gets.

`create_app` imports this module, which registers these functions on `jwt` (app/extensions.py):
- when a token is made: `user_identity` turns a User into the token's `sub` claim, and
  `role_claim` adds the user's `role` ("student" or "teacher");
- on every `@jwt_required()` request: `token_is_revoked` asks whether the token or its login
  session has been revoked (logout, refresh-token reuse, password change, ended by a teacher),
  and `load_user` turns `sub` into `current_user`; both read the one query of
  `lifecycle.token_state`;
- when a token is rejected: the error callbacks below, which all answer 401 with {"msg", "error"}
  (the kinds are app/errors.py's ErrorKind) and a `WWW-Authenticate` header (RFC 6750), so the
  client can handle every failure in one place.

The lesson passed the integer `user.id` as the identity. Creating that token raises nothing, but
PyJWT 2.10+ refuses it on every check ("Subject must be a string": RFC 7519 section 4.1.2 makes
`sub` a string), which flask-jwt-extended answers with 422 by default; so we store str(user.id).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask_jwt_extended.exceptions import CSRFError, JWTExtendedException
from jwt.exceptions import PyJWTError

from app.errors import ErrorKind, unauthorized
from app.extensions import jwt
from app.lifecycle import (
    SESSION_OVER,
    TokenUser,
    expired_with_its_session,
    refusal_for_revoked,
    token_state,
)
from app.models import User


@jwt.user_identity_loader
def user_identity(user: User | TokenUser) -> str:
    """`create_access_token(identity=user)` stores the user's id, as a string, in `sub`."""
    return str(user.id)


@jwt.additional_claims_loader
def role_claim(user: User | TokenUser) -> dict[str, str]:
    """Every token says the user's role, read from the user when the token is made.

    The claim is signed like the rest of the token, so editing it breaks the signature. It is as
    old as the token, so `flask set-role` (cli.py) ends the user's sessions: no token with the
    old role is accepted after it, and the new role comes with the next login.
    """
    return {"role": user.role}


@jwt.token_in_blocklist_loader
def token_is_revoked(_jwt_header: dict, jwt_data: dict) -> bool:
    """True (-> 401 "Token has been revoked") when the token may no longer be used.

    Runs on EVERY @jwt_required() request. A token for a user who is gone is left to
    `load_user`, so the answer names the real reason ("User not found").
    """
    state = token_state(jwt_data)
    return state.user is not None and state.revoked


@jwt.user_lookup_loader
def load_user(_jwt_header: dict, jwt_data: dict) -> TokenUser | None:
    """The user a valid token is for; None (-> 401 "User not found") if they are gone.

    The lesson queried `User` again in every view; here the revocation check's query has
    already read the user, so this costs nothing.
    """
    return token_state(jwt_data).user


@jwt.unauthorized_loader
def missing_token(reason: str) -> Any:
    """No token at all (e.g. "Missing Authorization Header", or no refresh cookie)."""
    return unauthorized(reason, ErrorKind.TOKEN_MISSING, token_sent=False)


@jwt.invalid_token_loader
def invalid_token(reason: str) -> Any:
    """Malformed, tampered, wrong algorithm, bad claims. flask-jwt-extended's default is 422."""
    return unauthorized(reason, ErrorKind.TOKEN_INVALID)


@jwt.expired_token_loader
def expired_token(_jwt_header: dict, jwt_data: dict) -> Any:
    """A good signature, but `exp` is in the past: the client should log in (or refresh).

    A refresh token that expired with its session (SESSION_MAX_AGE) says so: only logging in
    again helps.
    """
    if expired_with_its_session(jwt_data):
        return unauthorized(SESSION_OVER, ErrorKind.SESSION_OVER)
    return unauthorized("Token has expired", ErrorKind.TOKEN_EXPIRED)


@jwt.user_lookup_error_loader
def user_not_found(_jwt_header: dict, _jwt_data: dict) -> Any:
    """A valid token for a user who no longer exists."""
    return unauthorized("User not found", ErrorKind.USER_NOT_FOUND)


@jwt.revoked_token_loader
def revoked_token(_jwt_header: dict, jwt_data: dict) -> Any:
    """The token or its session was revoked; the message and kind say why the session ended."""
    refused = refusal_for_revoked(token_state(jwt_data).ended_reason)
    return unauthorized(refused.msg, refused.kind)


def register_jwt_error_handlers(app: Flask) -> None:
    """The errors the callbacks above do not see, in the same shape: a CSRF failure, and a
    safety net under every PyJWT or flask-jwt-extended error, so none can become a 500.

    flask-jwt-extended registers a handler for each error it knows; the ones registered here,
    after `jwt.init_app`, take the CSRF error over, and catch any other (for example a PyJWT
    error class added in a later release).
    """

    @app.errorhandler(CSRFError)
    def csrf_failed(e: CSRFError) -> Any:
        """The refresh cookie came without the X-CSRF-TOKEN header, or with a wrong one.

        The library would pass it to `missing_token`; but a refresh cookie was sent (the library
        looks for it first), and the CSRF value that goes with it is missing or wrong: the
        credential as sent is no good.
        """
        return unauthorized(str(e), ErrorKind.TOKEN_INVALID, token_sent=False)

    @app.errorhandler(PyJWTError)
    def handle_pyjwt_error(e: PyJWTError) -> Any:
        return unauthorized(str(e) or "Invalid token", ErrorKind.TOKEN_INVALID)

    @app.errorhandler(JWTExtendedException)
    def handle_jwt_extended_error(e: JWTExtendedException) -> Any:
        return unauthorized(str(e) or "Invalid token", ErrorKind.TOKEN_INVALID)


def refuse_listed_authorization_headers(app: Flask) -> None:
    """Install, on `app`, a check before every /api request: an Authorization header that holds
    a list (two headers joined by a comma) is refused as no token at all."""

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
        scheme = current_app.config["JWT_HEADER_TYPE"]
        return unauthorized(
            f"Missing '{scheme}' type in '{name}' header. Expected '{name}: {scheme} <JWT>'",
            ErrorKind.TOKEN_MISSING,
            token_sent=False,
        )
