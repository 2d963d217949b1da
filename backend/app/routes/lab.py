"""The classroom's tamper lab: token specimens to attack, each one useless by construction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, jsonify
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    current_user,
    decode_token,
    get_jwt,
    jwt_required,
)

from app.extensions import db
from app.lifecycle import revoke_access_token
from app.models import User, utcnow
from app.openapi import documented
from app.rate_limits import lab_tokens_per_session, lab_tokens_per_user
from app.schemas import ErrorOut, LabTokensOut

bp = Blueprint("lab", __name__)

# The audience and issuer of the lab's specimens that this server never accepts.
OTHER_AUDIENCE = "another-api"
OTHER_ISSUER = "https://issuer.example"


@bp.post("/lab/tokens")
@documented({200: LabTokensOut, 429: ErrorOut}, auth="bearerAuth", tags=["lab"])
@jwt_required(locations=["headers"])
@lab_tokens_per_session
@lab_tokens_per_user
def lab_tokens() -> Any:
    """Hand out specimens for the tamper lab; none of them grants anything.

    - `expired`: an access token for you and your session, issued one lifetime ago, whose `exp`
      is one second in the past. Every endpoint answers 401 "Token has expired": a signature
      proves who made a token, not that it is still valid.
    - `refresh`: a genuine refresh token for you whose `jti` no session has registered. It is
      refused as an access token (wrong `type`), and /api/token/refresh refuses it too, because
      only refresh tokens issued by a login or a refresh are accepted there.
    - `revoked`: an access token for you and your session, made now and put on the blocklist at
      once, exactly as POST /api/logout does to the token it is sent. Its signature and `exp`
      are fine; the blocklist lookup that runs on every request answers 401 "Token has been
      revoked".
    - `other_audience`, `other_issuer`: access tokens for you, signed by this server's current
      key, whose `aud` names another service and whose `iss` names another issuer. The signature
      is good, and every endpoint still answers 401: `aud` and `iss` are checked on every request.
    - `other_user_id`: someone else's id, to try changing `sub` and see the signature check fail.

    Safe because each token is dead on arrival: an expired token, an unregistered refresh token,
    a revoked token and a token for another audience or issuer cannot be turned into access,
    whoever gets hold of them. The revoked one
    costs a row in revoked_tokens (pruned once it expires), so calls are limited per session and
    per user.
    """
    user = current_user  # a TokenUser (lifecycle.token_state): its id is all we need
    sid = get_jwt()["sid"]
    lifetime = int(current_app.config["ACCESS_TOKEN_TTL"])
    issued = int(utcnow().timestamp()) - lifetime - 1
    # A negative expires_delta makes exp = now - 1 s; iat/nbf are back-dated to match, so the
    # token looks like one made a lifetime ago rather than one "born expired".
    expired = create_access_token(
        identity=user,
        additional_claims={"sid": sid, "iat": issued, "nbf": issued},
        expires_delta=timedelta(seconds=-1),
    )
    # Not registered in refresh_tokens: that is what makes it useless (see lifecycle.rotate).
    refresh = create_refresh_token(identity=user, additional_claims={"sid": sid})
    revoked = create_access_token(identity=user, additional_claims={"sid": sid})
    revoke_access_token(decode_token(revoked))
    db.session.commit()  # on the blocklist before anyone can hold the token
    # additional_claims replace the `aud` and `iss` that JWT_ENCODE_AUDIENCE/ISSUER put in.
    other_audience = create_access_token(
        identity=user, additional_claims={"sid": sid, "aud": OTHER_AUDIENCE}
    )
    other_issuer = create_access_token(
        identity=user, additional_claims={"sid": sid, "iss": OTHER_ISSUER}
    )
    other_user_id = db.session.scalar(
        db.select(User.id).where(User.id != user.id).order_by(User.id).limit(1)
    )
    out = LabTokensOut(
        expired=expired,
        refresh=refresh,
        revoked=revoked,
        other_audience=other_audience,
        other_issuer=other_issuer,
        other_user_id=other_user_id,
    )
    response = jsonify(out.model_dump())
    response.headers["Cache-Control"] = "no-store"
    return response
