"""The signing keys, as the outside world sees them: public keys, the key list, a rotation.

GET /.well-known/jwks.json: the public keys (RFC 7517), for anyone who verifies our tokens.
GET /api/keys: every key's kid, algorithm, state and dates (for the lab and the classroom).
POST /api/classroom/keys/rotate: a teacher makes a new current key (as `flask rotate-key`).
How keys are kept and chosen is in app/keys.py.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask_jwt_extended import jwt_required

from app import keys
from app.openapi import documented
from app.routes.classroom import teacher_required
from app.schemas import ErrorOut, JwksOut, SigningKeyOut, SigningKeysOut

bp = Blueprint("keys", __name__)

JWKS_PATH = "/.well-known/jwks.json"
# Verifiers may keep the key set for a minute: long enough to spare us a fetch per token, short
# enough that a retired key drops out of their copy soon after. A verifier that meets a kid it
# does not know (a new key) may fetch the set again before its copy is a minute old; PyJWT's
# PyJWKClient does, at most every 30 seconds by default.
JWKS_MAX_AGE = 60
HS256_NOTE = (
    "This server signs with HS256: the key that verifies a token is the key that makes one, so "
    "it is a shared secret and is never published. Only the server can check these tokens."
)


@bp.get(JWKS_PATH)
@documented({200: JwksOut}, tags=["keys"])
def jwks() -> Any:
    """The public keys that verify this server's tokens (a JWK Set, RFC 7517).

    Only keys that still verify: the current one and the verify-only ones; never a private
    member. Any origin may read it (it is public), and caches may keep it for a minute.
    """
    body = keys.jwks()
    if current_app.config["JWT_ALGORITHM"] == "HS256":
        body["note"] = HS256_NOTE
    response = jsonify(JwksOut.model_validate(body).model_dump(exclude_none=True))
    response.headers["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE}"
    # Public data, fetched without credentials: a verifier on any site may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)


def key_list() -> Any:
    """The key list as GET /api/keys answers it."""
    config = current_app.config
    key_set = keys.ring().key_set()
    out = SigningKeysOut(
        signing=config["JWT_SIGNING"],
        alg=config["JWT_ALGORITHM"],
        issuer=config["JWT_ISSUER"],
        audience=config["JWT_AUDIENCE"],
        jwks_uri=JWKS_PATH,
        refresh_seconds=config["SIGNING_KEYS_REFRESH"],
        keys=[
            SigningKeyOut(
                kid=key.kid,
                alg=key.alg,
                state=key_set.state(key),
                created_at=key.created_at,
                retired_at=key.retired_at,
            )
            for key in key_set.newest_first()
        ],
    )
    response = jsonify(out.model_dump(mode="json"))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/api/keys")
@documented({200: SigningKeysOut}, auth="bearerAuth", tags=["keys"])
@jwt_required(locations=["headers"])
def list_keys() -> Any:
    """Every signing key: kid, algorithm, state (current, verify-only, retired) and dates.

    Public facts only, for whoever is logged in: the lab shows which key signed your token,
    the classroom shows a rotation happen. As this process knows them (at most
    `refresh_seconds` old).
    """
    return key_list()


@bp.post("/api/classroom/keys/rotate")
@documented({200: SigningKeysOut, 403: ErrorOut}, auth="bearerAuth", tags=["classroom"])
@jwt_required(locations=["headers"])
@teacher_required
def rotate_key() -> Any:
    """Rotate the signing key (a teacher only): a new key signs every token from now on.

    Nobody is logged out: tokens signed by the old key keep working until they expire or an
    operator retires it (`flask retire-key`). Answers with the new key list, the new key first.
    """
    keys.rotate()
    return key_list()
