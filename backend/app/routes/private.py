"""The protected resource: only a request with a valid access token gets through."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask_jwt_extended import current_user, jwt_required

from app.openapi import documented
from app.schemas import UserOut

bp = Blueprint("private", __name__)


@bp.get("/protected")
@documented({200: UserOut}, auth="bearerAuth", tags=["private"])
# Access tokens come in the Authorization header only, never from a cookie: a cookie is sent by
# the browser on its own, a header only when our code adds it (so no CSRF on these routes).
@jwt_required(locations=["headers"])
def protected() -> Any:
    """Return who the token belongs to.

    The lesson called get_jwt_identity() and then the legacy `User.query` lookup in every view;
    here the revocation check (jwt_callbacks.token_is_revoked, answered by lifecycle.token_state)
    reads the user in its one query (and a token for a deleted user is already a 401 before this
    runs), so the view just reads `current_user`.
    """
    # The lesson's own shape. current_user (a TokenUser) is already typed, and UserOut documents
    # this answer in /api/openapi.json: validating it again on every call would only cost time.
    return jsonify(id=current_user.id, username=current_user.username)
