"""Logging in (POST /api/token) and signing up (POST /api/signup)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_jwt_extended import create_access_token
from sqlalchemy.exc import IntegrityError

from app.errors import json_error
from app.extensions import db
from app.models import User
from app.passwords import check_password_of_unknown_user
from app.schemas import LoginIn, SignupIn, TokenOut, UserOut
from app.validation import json_body

bp = Blueprint("auth", __name__)

BAD_CREDENTIALS = "Bad username or password"


@bp.post("/token")
@json_body(LoginIn)
def create_token(body: LoginIn) -> Any:
    """Log in: check the username and password, answer with a signed access token.

    The lesson looked users up by username AND plain-text password in one query; we look up by
    username only and verify the password against its argon2id hash.
    """
    user = db.session.scalar(db.select(User).where(User.username == body.username))
    if user is None:
        # Same work and same answer as a wrong password, so nobody can probe which users exist.
        check_password_of_unknown_user(body.password)
        return json_error(401, BAD_CREDENTIALS, {"WWW-Authenticate": "Bearer"})
    if not user.verify_password(body.password):
        return json_error(401, BAD_CREDENTIALS, {"WWW-Authenticate": "Bearer"})
    db.session.commit()  # saves the hash if verify_password upgraded it

    # identity=user: auth.user_identity puts str(user.id) in the token's `sub` claim.
    token = create_access_token(identity=user)
    out = TokenOut(token=token, user_id=user.id, expires_in=current_app.config["ACCESS_TOKEN_TTL"])
    response = jsonify(out.model_dump())
    # A token is a credential: no browser or proxy cache may keep a copy (RFC 6749 5.1).
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.post("/signup")
@json_body(SignupIn)
def signup(body: SignupIn) -> Any:
    """Create an account. 409 if the (normalised) username is taken."""
    user = User(username=body.username)
    user.password = body.password
    db.session.add(user)
    try:
        # Insert and let the unique index decide: checking first and inserting second would
        # let two simultaneous signups for one name both pass the check.
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return json_error(409, "Username already taken")
    return jsonify(UserOut.model_validate(user).model_dump()), 201
