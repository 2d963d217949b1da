"""Logging in and out, refreshing, signing up and changing the password.

POST /api/token, /api/token/refresh, /api/logout, /api/signup, /api/password.
How the tokens live and die is explained in app/lifecycle.py.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, make_response
from flask_jwt_extended import current_user, get_jwt, jwt_required, unset_refresh_cookies
from sqlalchemy.exc import SQLAlchemyError

from app import lifecycle
from app.auth import ascii_csrf_header, unauthorized
from app.demo import refuse_demo_accounts
from app.errors import json_error
from app.extensions import db
from app.models import LOGGED_OUT, REFRESH_REUSED, User
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
REUSE_DETECTED = "Refresh token reuse detected; the session has been revoked"
UNREGISTERED = "Unknown refresh token"


def token_response(body: dict[str, Any], tokens: lifecycle.IssuedTokens | None = None) -> Response:
    """A JSON response carrying a credential: never cached; the refresh cookie set if given."""
    response = jsonify(body)
    # A token is a credential: no browser or proxy cache may keep a copy (RFC 6749 5.1).
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    if tokens is not None:
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
        return json_error(401, BAD_CREDENTIALS, {"WWW-Authenticate": "Bearer"})
    if not user.verify_password(body.password):
        return json_error(401, BAD_CREDENTIALS, {"WWW-Authenticate": "Bearer"})

    # identity=user: auth.user_identity puts str(user.id) in the tokens' `sub` claim.
    tokens = lifecycle.start_session(user)
    db.session.commit()  # the session, its refresh token, and the hash if it was upgraded
    prune_now_and_then()

    out = TokenOut(
        token=tokens.access, user_id=user.id, expires_in=current_app.config["ACCESS_TOKEN_TTL"]
    )
    return token_response(out.model_dump(), tokens)


def prune_now_and_then() -> None:
    """Opportunistic pruning at login; a failure here must not fail the login."""
    try:
        lifecycle.maybe_prune()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("Pruning expired tokens failed; will try again later")


@bp.post("/token/refresh")
@documented({200: RefreshOut, 429: ErrorOut}, auth=["refreshCookie", "csrfHeader"], tags=["auth"])
@ascii_csrf_header
@jwt_required(refresh=True, locations=["cookies"])
@refreshes_per_session
def refresh() -> Any:
    """Trade the refresh cookie (plus the X-CSRF-TOKEN header) for a new access token.

    By the time this runs, flask-jwt-extended has checked the cookie's signature, expiry and CSRF
    value, and `token_is_revoked` its session. Here the refresh token is rotated: it is marked
    used and a new one replaces it. A token that was already used comes from a copy (an
    attacker's, perhaps) or from a client that never received the answer to its first refresh;
    the server cannot tell which, so the whole session is revoked and the user logs in again.
    """
    claims = get_jwt()
    sid, jti = claims["sid"], claims["jti"]
    session = lifecycle.lock_session(sid)  # one rotation of this session at a time
    if not lifecycle.use_refresh_token(jti, sid):
        if lifecycle.was_used_before(jti, sid):
            lifecycle.revoke_session(sid, REFRESH_REUSED)
            db.session.commit()
            return refusal(REUSE_DETECTED)
        db.session.rollback()
        return refusal(UNREGISTERED)  # never issued by a login (the lab's specimen)

    if session is None:  # pruned a moment ago, between the revocation check and here
        db.session.rollback()
        return refusal("Token has been revoked")
    tokens = lifecycle.issue_tokens(current_user, session, fresh=False)  # no password typed
    db.session.commit()
    out = RefreshOut(token=tokens.access, expires_in=current_app.config["ACCESS_TOKEN_TTL"])
    return token_response(out.model_dump(), tokens)


def refusal(msg: str) -> Response:
    """A 401 for a refresh that failed here, which also clears the useless refresh cookies."""
    response = make_response(unauthorized(msg))
    unset_refresh_cookies(response)
    return response


@bp.post("/logout")
@documented({200: MessageOut}, auth="bearerAuth", tags=["auth"])
@jwt_required(locations=["headers"])
def logout() -> Any:
    """Log out: revoke this access token and its whole session, and clear the refresh cookie.

    The lesson has no logout: its token works until it expires, and deleting it from the
    browser would not stop a copy (stolen, or in another tab). Here the server stops accepting
    the token and every other token of its session.
    """
    claims = get_jwt()
    # The session's lock first, as a refresh and a password change take it: a password change
    # revokes this same token, and two orders of the same locks would deadlock.
    lifecycle.lock_session(claims["sid"])
    lifecycle.revoke_access_token(claims)
    lifecycle.revoke_session(claims["sid"], LOGGED_OUT)
    db.session.commit()  # both statements are idempotent: two logouts at once both succeed
    response = jsonify(MessageOut(msg="Logged out").model_dump())
    unset_refresh_cookies(response)
    return response


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

    Whoever knew the old password may be logged in elsewhere: those sessions are revoked. This
    session continues with a fresh access token and a rotated refresh cookie; the access token
    sent with this request is revoked (the client switches to the new one). A shared demo
    account's password cannot be changed (403): the whole class logs in with it.
    """
    # current_user is a read-only TokenUser (auth.py); this view changes the row, so loads it.
    user = db.session.get(User, current_user.id)
    if user is None:  # deleted between the token check and here
        return unauthorized("User not found")
    if not user.verify_password(body.current_password):
        # 400, not 401: the token is fine, it is the typed password that is wrong.
        return json_error(
            400,
            PasswordChangeIn.invalid_message,
            errors={"current_password": "Current password is incorrect"},
        )
    if body.new_password == body.current_password:
        return json_error(
            400,
            PasswordChangeIn.invalid_message,
            errors={"new_password": "Choose a password different from the current one"},
        )

    claims = get_jwt()
    sid = claims["sid"]
    session = lifecycle.lock_session(sid)  # a refresh of this session waits, or went first
    if session is None:  # pruned a moment ago, between the revocation check and here
        return unauthorized("Token has been revoked")
    user.password = body.new_password
    revoked = lifecycle.revoke_other_sessions(user.id, sid)
    lifecycle.revoke_access_token(claims)
    lifecycle.retire_refresh_tokens(sid)
    tokens = lifecycle.issue_tokens(user, session, fresh=True)
    db.session.commit()

    out = PasswordChangeOut(
        token=tokens.access,
        expires_in=current_app.config["ACCESS_TOKEN_TTL"],
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
        return json_error(409, "Username already taken")
    return jsonify(UserOut.model_validate(user).model_dump()), 201
