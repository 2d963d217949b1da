"""Logging in and out, refreshing, signing up and changing the password.

POST /api/token, /api/token/refresh, /api/logout, /api/signup, /api/password.
How the tokens live and die is explained in app/lifecycle.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, make_response, request
from flask_jwt_extended import current_user, get_jwt, jwt_required

from app import lifecycle
from app.common_passwords import USERNAME, why_refused
from app.demo import refuse_demo_accounts
from app.errors import ErrorKind, json_error, unauthorized
from app.extensions import db
from app.models import User
from app.openapi import documented
from app.passwords import check_password_of_unknown_user
from app.rate_limits import (
    login_guesses,
    password_change_guesses,
    refreshes_per_session,
    signups,
)
from app.schemas import (
    ErrorOut,
    LoginIn,
    MessageOut,
    PasswordChangeIn,
    PasswordChangeOut,
    RefreshOut,
    SignupIn,
    TokenOut,
    UserOut,
)
from app.validation import json_body

bp = Blueprint("auth", __name__)

BAD_CREDENTIALS = "Bad username or password"
CSRF_MISMATCH = "CSRF double submit tokens do not match"


def token_response(body: dict[str, Any], tokens: lifecycle.IssuedTokens) -> Response:
    """A JSON response carrying a credential: never cached, with the refresh cookie set."""
    response = jsonify(body)
    # A token is a credential: no browser or proxy cache may keep a copy (RFC 6749 5.1).
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    lifecycle.set_refresh_cookie(response, tokens)
    return response


@bp.post("/token")
@documented({200: TokenOut, 401: ErrorOut, 429: ErrorOut}, tags=["auth"])
@login_guesses
@json_body(LoginIn)
def create_token(body: LoginIn) -> Any:
    """Log in: check the username and password, start a session, answer with its tokens.

    The access token is in the JSON body (the SPA keeps it in localStorage, as the lesson does);
    the refresh token only in an HttpOnly cookie, which no script on the page can read (a script
    can still make the browser send it: HttpOnly stops the cookie being stolen, not used).
    The lesson looked users up by username AND plain-text password in one query; we look up by
    username only and verify the password against its argon2id hash.
    """
    user = db.session.scalar(db.select(User).where(User.username == body.username))
    if user is None:
        # Same work and same answer as a wrong password, so logging in tells nobody which users
        # exist (signing up does: its 409 says the name is taken).
        check_password_of_unknown_user(body.password)
        return unauthorized(BAD_CREDENTIALS, ErrorKind.BAD_CREDENTIALS, token_sent=False)
    if not user.verify_password(body.password):
        return unauthorized(BAD_CREDENTIALS, ErrorKind.BAD_CREDENTIALS, token_sent=False)

    tokens = lifecycle.start_session(user)
    out = TokenOut(token=tokens.access, user_id=user.id, expires_in=tokens.expires_in)
    return token_response(out.model_dump(), tokens)


def ascii_csrf_header(view: Callable) -> Callable:
    """Refuse a non-ASCII CSRF header with the library's own "do not match" 401 (and kind).

    flask-jwt-extended compares the header with the token's `csrf` claim using
    `hmac.compare_digest`, which raises TypeError (a 500) for a str with non-ASCII characters.
    Our CSRF values are ASCII, so such a header can never match. Put above `@jwt_required`.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        value = request.headers.get(current_app.config["JWT_REFRESH_CSRF_HEADER_NAME"], "")
        if not value.isascii():
            return unauthorized(CSRF_MISMATCH, ErrorKind.TOKEN_INVALID, token_sent=False)
        return view(*args, **kwargs)

    return wrapper


@bp.post("/token/refresh")
@documented({200: RefreshOut, 429: ErrorOut}, auth=["refreshCookie", "csrfHeader"], tags=["auth"])
@ascii_csrf_header
@jwt_required(refresh=True, locations=["cookies"])
@refreshes_per_session
def refresh() -> Any:
    """Trade the refresh cookie (plus the X-CSRF-TOKEN header) for a new access token.

    The refresh token is rotated: it is marked used and a new one replaces it in the cookie.
    A refresh token used twice revokes its whole session (see lifecycle.rotate).
    """
    try:
        tokens = lifecycle.rotate(get_jwt(), current_user)
    except lifecycle.Refused as refused:
        # The refresh cookie is useless from now on: clear it too.
        return lifecycle.clear_refresh_cookie(
            make_response(unauthorized(refused.msg, refused.kind))
        )
    out = RefreshOut(token=tokens.access, expires_in=tokens.expires_in)
    return token_response(out.model_dump(), tokens)


@bp.post("/logout")
@documented({200: MessageOut}, auth="bearerAuth", tags=["auth"])
@jwt_required(locations=["headers"])
def logout() -> Any:
    """Log out: revoke this access token and its whole session, and clear the refresh cookie.

    The lesson has no logout: its token works until it expires, and deleting it from the
    browser would not stop a copy (stolen, or in another tab). Here the server stops accepting
    the token and every other token of its session.
    """
    lifecycle.log_out(get_jwt())
    return lifecycle.clear_refresh_cookie(jsonify(MessageOut(msg="Logged out").model_dump()))


@bp.post("/password")
@documented(
    {200: PasswordChangeOut, 403: ErrorOut, 429: ErrorOut}, auth="bearerAuth", tags=["auth"]
)
@jwt_required(locations=["headers"])
@refuse_demo_accounts
@password_change_guesses
@json_body(PasswordChangeIn)
def change_password(body: PasswordChangeIn) -> Any:
    """Change the password; every OTHER session of the user is logged out.

    This session continues with a fresh access token and a new refresh cookie; every token it
    held before the change, the one sent with this request included, is refused from now on
    (the client switches to the new ones). A shared demo
    account's password cannot be changed (403): the whole class logs in with it.
    """
    # current_user is a read-only TokenUser; this view changes the row, so loads it.
    user = db.session.get(User, current_user.id)
    if user is None:  # deleted between the token check and here
        return unauthorized("User not found", ErrorKind.USER_NOT_FOUND)
    if not user.verify_password(body.current_password):
        # 400, not 401: the token is fine, it is the typed password that is wrong.
        return json_error(
            400,
            PasswordChangeIn.invalid_message,
            ErrorKind.VALIDATION_FAILED,
            errors={"current_password": "Current password is incorrect"},
        )
    if body.new_password == body.current_password:
        return json_error(
            400,
            PasswordChangeIn.invalid_message,
            ErrorKind.VALIDATION_FAILED,
            errors={"new_password": "Choose a password different from the current one"},
        )
    if why_refused(body.new_password, user.username) == USERNAME:  # the schema cannot know it
        return json_error(
            400,
            PasswordChangeIn.invalid_message,
            ErrorKind.VALIDATION_FAILED,
            errors={"new_password": USERNAME},
        )
    try:
        tokens, revoked = lifecycle.change_password(user, get_jwt(), body.new_password)
    except lifecycle.Refused as refused:
        return unauthorized(refused.msg, refused.kind)
    out = PasswordChangeOut(
        token=tokens.access,
        expires_in=tokens.expires_in,
        revoked_sessions=revoked,
    )
    return token_response(out.model_dump(), tokens)


@bp.post("/signup")
@documented({201: UserOut, 409: ErrorOut, 429: ErrorOut}, tags=["auth"])
@signups
@json_body(SignupIn)
def signup(body: SignupIn) -> Any:
    """Create an account. 409 if the (normalised) username is taken."""
    user = User.register(body.username, body.password)
    if user is None:
        return json_error(409, "Username already taken", ErrorKind.USERNAME_TAKEN)
    return jsonify(UserOut.model_validate(user).model_dump()), 201
