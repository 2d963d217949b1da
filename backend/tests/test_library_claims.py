"""What the teaching text says about flask-jwt-extended and PyJWT, checked on a stock app.

The README, /how-it-works, the lab and the view docstrings tell students how the libraries
behave on their own (the lesson's set-up: `JWTManager(app)` and a key, nothing else). This app
changes much of that (every rejection is a 401 here), so those sentences cannot be checked
against it. This module builds the lesson's app instead: library defaults, none of our
callbacks. If an upgrade changes a behaviour, a test here fails before a student reads a false
sentence. Each test names the sentence it backs and where it lives.

Where the behaviour comes from (backend/.venv/lib/python3.11/site-packages/):
- flask_jwt_extended/default_callbacks.py: 401 for missing, expired, revoked; 422 for invalid;
- flask_jwt_extended/jwt_manager.py: which error goes to which callback; the defaults
  (JWT_ACCESS_TOKEN_EXPIRES 15 minutes, JWT_ALGORITHM HS256, JWT_DECODE_LEEWAY 0,
  JWT_VERIFY_SUB True, JWT_ENCODE_NBF True, JWT_COOKIE_CSRF_PROTECT True);
- flask_jwt_extended/config.py `decode_algorithms`: only JWT_ALGORITHM unless listed otherwise;
- flask_jwt_extended/view_decorators.py: how the Authorization header and cookies are read;
- jwt/api_jwt.py `_validate_sub`: "Subject must be a string", on decode only;
- jwt/api_jws.py `_verify_signature`: "The specified alg value is not allowed".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, jsonify
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    get_jwt,
    get_jwt_identity,
    jwt_required,
)

# 64 bytes: long enough for HS256 and HS512 without PyJWT's InsecureKeyLengthWarning.
KEY = "library-claims-test-key-" + "0123456789abcdefghijklmnopqrstuvwxyz0123"
OTHER_KEY = "somebody-elses-key-that-is-long-enough-" + "0123456789abcdefghijklmnop"
START = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)


def stock_app(**settings: Any) -> Flask:
    """The lesson's set-up: a key and JWTManager(app), plus the given settings, nothing else."""
    app = Flask(__name__)
    app.config["JWT_SECRET_KEY"] = KEY
    app.config.update(settings)
    JWTManager(app)

    @app.get("/protected")
    @jwt_required()
    def protected() -> Any:
        """The lesson's private endpoint."""
        return jsonify(logged_in_as=get_jwt_identity())

    @app.post("/protected")
    @jwt_required()
    def protected_post() -> Any:
        """A state-changing request, where the library's CSRF check would apply."""
        return jsonify(logged_in_as=get_jwt_identity())

    @app.post("/refresh")
    @jwt_required(refresh=True)
    def refresh() -> Any:
        """A refresh endpoint, as in the library's documentation."""
        return jsonify(type=get_jwt()["type"])

    return app


def token_for(app: Flask, identity: Any = "1", **kwargs: Any) -> str:
    with app.app_context():
        return create_access_token(identity=identity, **kwargs)


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def get(app: Flask, authorization: str | None) -> Any:
    headers = {} if authorization is None else {"Authorization": authorization}
    return app.test_client().get("/protected", headers=headers)


def test_the_stock_app_accepts_its_own_token():
    """The control: the tokens below fail because of their flaw, not because of the set-up."""
    app = stock_app()
    response = get(app, f"Bearer {token_for(app)}")
    assert response.status_code == 200
    assert response.get_json() == {"logged_in_as": "1"}


def test_no_token_is_401_without_a_challenge():
    """Backs "401 for a missing ... token; never 403; no WWW-Authenticate" (README, the lesson's
    mistakes table, the 403 row) and tamper case 5 (frontend/src/features/lab/tamper-cases.js:
    the library sends no WWW-Authenticate header, this app adds one).
    """
    response = get(stock_app(), None)
    assert response.status_code == 401
    assert response.get_json() == {"msg": "Missing Authorization Header"}
    assert "WWW-Authenticate" not in response.headers


# The lesson's "Bearer Token" example, as printed in the lesson.
LESSON_BEARER_EXAMPLE = "YWxlc2FuY2hlenI6NzE0YmZhNDNlN2MzMTJiZTk5OWQwYWZlYTg5MTQ4ZTc="


def test_the_lessons_bearer_example_is_a_basic_credential():
    """Backs the /how-it-works table's Bearer row: the lesson's example base64-decodes to
    `username:secret`, the shape of an HTTP Basic credential (RFC 7617 section 2), and sent the
    Basic way this library treats it as no token at all: 401, "Missing 'Bearer' type"
    (flask_jwt_extended/view_decorators.py `_decode_jwt_from_headers`).
    """
    decoded = base64.b64decode(LESSON_BEARER_EXAMPLE).decode()
    assert decoded == "alesanchezr:714bfa43e7c312be999d0afea89148e7"

    response = get(stock_app(), f"Basic {LESSON_BEARER_EXAMPLE}")

    assert response.status_code == 401
    assert response.get_json()["msg"].startswith("Missing 'Bearer' type in 'Authorization' header")


def test_an_expired_token_is_401_after_the_default_15_minutes():
    """Backs "no lifetime set (so flask-jwt-extended's silent default, 15 minutes)" (README, the
    lesson's mistakes table) and "its token lives for flask-jwt-extended's default 15 minutes"
    (/how-it-works, "No way to take a token back"), and "401 for ... an expired token".
    """
    app = stock_app()
    with time_machine.travel(START, tick=False) as traveller:
        token = token_for(app)
        claims = claims_of(token)
        assert claims["exp"] - claims["iat"] == 15 * 60

        traveller.shift(timedelta(minutes=15) - timedelta(seconds=1))
        assert get(app, f"Bearer {token}").status_code == 200

        traveller.shift(timedelta(seconds=1))
        response = get(app, f"Bearer {token}")
    assert response.status_code == 401
    assert response.get_json() == {"msg": "Token has expired"}
    assert "WWW-Authenticate" not in response.headers


def forged(changes: dict[str, Any] | None = None, key: str | None = KEY, alg: str = "HS256") -> str:
    """A token shaped like the library's own, with `changes` to its claims."""
    now = int(datetime.now(UTC).timestamp())
    claims = {"sub": "1", "iat": now, "nbf": now, "exp": now + 600, "type": "access"}
    claims.update(changes or {})
    return jwt.encode(claims, key, algorithm=alg)


# (Authorization header, the library's msg): each is 422 Unprocessable Entity by default.
INVALID = [
    pytest.param(
        lambda app: f"Bearer {forged(key=OTHER_KEY)}",
        "Signature verification failed",
        id="bad signature (another key)",
    ),
    pytest.param(
        lambda app: f"Bearer {forged(alg='HS512')}",
        "The specified alg value is not allowed",
        id="wrong algorithm (HS512, right key)",
    ),
    pytest.param(
        lambda app: f"Bearer {forged(key=None, alg='none')}",
        "The specified alg value is not allowed",
        id="alg none",
    ),
    pytest.param(lambda app: "Bearer garbage", "Not enough segments", id="malformed token"),
    pytest.param(
        lambda app: "Bearer a b",
        "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'",
        id="malformed header",
    ),
    pytest.param(
        lambda app: f"Bearer {forged({'sub': 1})}",
        "Subject must be a string",
        id="integer sub",
    ),
    pytest.param(
        lambda app: f"Bearer {create_refresh_token(identity='1')}",
        "Only non-refresh tokens are allowed",
        id="wrong type (a refresh token)",
    ),
]


@pytest.mark.parametrize(("authorization", "msg"), INVALID)
def test_an_invalid_token_is_422_never_403_and_no_challenge(authorization, msg):
    """Backs "401 for a missing, expired or revoked token, 422 for an invalid one (bad signature,
    wrong algorithm, wrong type, integer sub, malformed); never 403; no WWW-Authenticate"
    (README, the lesson's mistakes table, the 403 row; /how-it-works, "A 403 that never comes")
    and "the lesson's set-up also refused alg: none, with 422" (README, Tokens table).
    """
    app = stock_app()
    with app.app_context():
        header = authorization(app)

    response = get(app, header)

    assert response.status_code == 422
    assert response.get_json() == {"msg": msg}
    assert "WWW-Authenticate" not in response.headers


def test_a_revoked_token_is_401():
    """Backs "401 for a ... revoked token" (README, the lesson's mistakes table).

    Revocation needs the app to say which tokens are revoked (a blocklist loader); the answer
    to a revoked token is still the library's default one.
    """
    app = stock_app()
    app.extensions["flask-jwt-extended"].token_in_blocklist_loader(lambda header, data: True)
    response = get(app, f"Bearer {token_for(app)}")
    assert response.status_code == 401
    assert response.get_json() == {"msg": "Token has been revoked"}
    assert "WWW-Authenticate" not in response.headers


def test_an_integer_sub_is_refused_on_decode_not_on_create():
    """Backs "the token is made without complaint, but PyJWT 2.10+ refuses it every time it is
    checked ... 422 "Subject must be a string"" (README, the lesson's mistakes table; the same on
    /how-it-works, "An integer identity", and in the lab's `sub` explanation,
    frontend/src/features/lab/claims.js). jwt/api_jwt.py `_validate_sub`.
    """
    app = stock_app()
    token = token_for(app, identity=1)  # the lesson's identity=user.id: no error here
    assert claims_of(token)["sub"] == 1

    response = get(app, f"Bearer {token}")

    assert response.status_code == 422
    assert response.get_json() == {"msg": "Subject must be a string"}


def test_jwt_verify_sub_false_turns_the_sub_check_off():
    """Backs "`JWT_VERIFY_SUB=False` would switch the check off" (README, mistakes table)."""
    app = stock_app(JWT_VERIFY_SUB=False)
    response = get(app, f"Bearer {token_for(app, identity=1)}")
    assert response.status_code == 200
    assert response.get_json() == {"logged_in_as": 1}


def test_only_jwt_algorithm_is_accepted_by_default():
    """Backs "flask-jwt-extended accepts only `JWT_ALGORITHM` (HS256) by default" (README, Tokens
    table; the lab's `alg` explanation and tamper case 2). flask_jwt_extended/config.py
    `decode_algorithms`.
    """
    app = stock_app()
    with app.app_context():
        token = create_access_token(identity="1")
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    for alg in ["HS384", "HS512"]:
        response = get(app, f"Bearer {forged(alg=alg)}")
        assert response.status_code == 422, alg
        assert response.get_json() == {"msg": "The specified alg value is not allowed"}


def test_typ_header_and_type_claim_are_different_things():
    """Backs the panel "Registered claims, the library's, and this app's" (/how-it-works,
    frontend/src/features/how-it-works/claim-names.jsx) and the lab's `typ` explanation: `typ`
    in the header is PyJWT's "JWT" (RFC 7519 section 5.1), `type` in the payload is
    flask-jwt-extended's own claim, "access" or "refresh"; `fresh`, `jti` and `csrf` are added
    by the library too.
    """
    app = stock_app()
    with app.app_context():
        access = create_access_token(identity="1")
        refresh = create_refresh_token(identity="1")
    assert jwt.get_unverified_header(access)["typ"] == "JWT"
    assert jwt.get_unverified_header(refresh)["typ"] == "JWT"
    assert claims_of(access)["type"] == "access"
    assert claims_of(refresh)["type"] == "refresh"
    assert set(claims_of(access)) == {"sub", "iat", "nbf", "exp", "jti", "type", "fresh", "csrf"}


def test_nbf_equals_iat_and_there_is_no_leeway_by_default():
    """Backs the panel "Clocks and leeway" (/how-it-works,
    frontend/src/features/how-it-works/clocks-and-leeway.jsx): "flask-jwt-extended writes nbf
    equal to iat", and "If the server that checks a token runs 5 seconds behind the one that
    signed it, PyJWT refuses a brand-new token for its first 5 seconds: "The token is not yet
    valid (iat)" (422 by flask-jwt-extended's default)", with the default JWT_DECODE_LEEWAY of 0.
    """
    app = stock_app()
    with time_machine.travel(START, tick=False) as traveller:
        token = token_for(app)
        claims = claims_of(token)
        assert claims["nbf"] == claims["iat"]

        traveller.shift(timedelta(seconds=-5))  # this server's clock is 5 s behind the issuer's
        response = get(app, f"Bearer {token}")
    assert response.status_code == 422
    assert response.get_json() == {"msg": "The token is not yet valid (iat)"}


def test_leeway_forgives_a_few_seconds_of_clock_difference():
    """Backs "with JWT_DECODE_LEEWAY = 10, a token is accepted up to 10 seconds early and 10
    seconds after its exp" (/how-it-works, "Clocks and leeway"). jwt/api_jwt.py
    `_validate_iat`, `_validate_nbf`, `_validate_exp`.
    """
    app = stock_app(JWT_DECODE_LEEWAY=10)
    with time_machine.travel(START, tick=False) as traveller:
        token = token_for(app)
        traveller.shift(timedelta(seconds=-5))  # 5 s behind: within the leeway
        assert get(app, f"Bearer {token}").status_code == 200
        traveller.shift(timedelta(minutes=15, seconds=5 + 5))  # 5 s after exp
        assert get(app, f"Bearer {token}").status_code == 200
        traveller.shift(timedelta(seconds=10))  # 15 s after exp: past the leeway
        assert get(app, f"Bearer {token}").status_code == 401


def test_csrf_is_checked_only_for_a_token_sent_in_a_cookie():
    """Backs the lab's `csrf` explanation (frontend/src/features/lab/claims.js): every token
    carries a `csrf` claim by default (JWT_COOKIE_CSRF_PROTECT), but only a token sent in a cookie
    must have it echoed in X-CSRF-TOKEN; one in the Authorization header is never CSRF-checked
    (flask_jwt_extended/view_decorators.py `_decode_jwt_from_cookies`).
    """
    app = stock_app(JWT_TOKEN_LOCATION=["headers", "cookies"])
    token = token_for(app)
    assert "csrf" in claims_of(token)

    by_header = app.test_client().post("/protected", headers={"Authorization": f"Bearer {token}"})
    assert by_header.status_code == 200

    client = app.test_client()
    client.set_cookie("access_token_cookie", token)
    by_cookie = client.post("/protected")
    assert by_cookie.status_code == 401
    assert by_cookie.get_json() == {"msg": "Missing CSRF token"}

    with_echo = client.post("/protected", headers={"X-CSRF-TOKEN": claims_of(token)["csrf"]})
    assert with_echo.status_code == 200


# --- The facts the pages render from frontend/src/lib/server-facts.json ---------------------------

FACTS = json.loads(
    (Path(__file__).resolve().parents[2] / "frontend/src/lib/server-facts.json").read_text()
)


def edited_payload(app: Flask) -> str:
    """A genuine token whose payload now names another user; header and signature kept."""
    header, _payload, signature = token_for(app).split(".")
    claims = {**claims_of(token_for(app)), "sub": "2"}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"Bearer {header}.{payload}.{signature}"


def with_blocklist(app: Flask) -> Flask:
    app.extensions["flask-jwt-extended"].token_in_blocklist_loader(lambda header, data: True)
    return app


# How each bad token of server-facts.json is made, and the app that judges it (the stock one,
# or the stock one with a blocklist that says "revoked"; an expired token is judged later).
BAD_TOKENS = {
    "missing": (stock_app, lambda app: None),
    "expired": (stock_app, lambda app: f"Bearer {token_for(app, expires_delta=timedelta(-1))}"),
    "revoked": (lambda: with_blocklist(stock_app()), lambda app: f"Bearer {token_for(app)}"),
    "edited": (stock_app, edited_payload),
    "other-key": (stock_app, lambda app: f"Bearer {forged(key=OTHER_KEY)}"),
    "alg-none": (stock_app, lambda app: f"Bearer {forged(key=None, alg='none')}"),
    "integer-sub": (stock_app, lambda app: f"Bearer {token_for(app, identity=1)}"),
    "refresh": (stock_app, lambda app: f"Bearer {create_refresh_token(identity='1')}"),
    "malformed": (stock_app, lambda app: "Bearer garbage"),
}


def test_every_library_answer_on_the_pages_has_a_token_here():
    """A new entry in server-facts.json needs a way to make its token below, and back."""
    assert {answer["id"] for answer in FACTS["libraryAnswers"]} == set(BAD_TOKENS)


@pytest.mark.parametrize("answer", FACTS["libraryAnswers"], ids=lambda answer: answer["id"])
def test_each_library_answer_the_pages_state(answer):
    """Backs every "flask-jwt-extended's default answer is 422 "..."" of the tamper lab, the
    claim texts, /how-it-works (the roles section) and the classroom page's 403 explanation, all
    rendered from frontend/src/lib/server-facts.json (`libraryAnswer`, `libraryStatuses`).
    """
    make, authorization = BAD_TOKENS[answer["id"]]
    app = make()
    with app.app_context():
        header = authorization(app)

    response = get(app, header)

    assert (response.status_code, response.get_json()) == (answer["status"], {"msg": answer["msg"]})
    assert "WWW-Authenticate" not in response.headers


def test_csrf_is_checked_only_for_the_csrf_methods():
    """Backs "checks it only when the token arrives in a cookie, and only for the methods in
    JWT_CSRF_METHODS (POST, PUT, PATCH and DELETE by default)" (the lab's `csrf` explanation,
    frontend/src/features/lab/claims.js; the claim table of /how-it-works; backend/app/config.py).
    flask_jwt_extended/jwt_manager.py sets the default; view_decorators.py checks the request's
    method against it.
    """
    app = stock_app(JWT_TOKEN_LOCATION=["cookies"])
    assert app.config["JWT_CSRF_METHODS"] == ["POST", "PUT", "PATCH", "DELETE"]

    @app.route("/change", methods=["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
    @jwt_required()
    def change() -> Any:
        """Any method, the token from the cookie."""
        return jsonify(ok=True)

    client = app.test_client()
    client.set_cookie("access_token_cookie", token_for(app))
    assert client.get("/change").status_code == 200  # no X-CSRF-TOKEN, and no check
    for method in ["POST", "PUT", "PATCH", "DELETE"]:
        response = client.open("/change", method=method)
        assert response.status_code == 401, method
        assert response.get_json() == {"msg": "Missing CSRF token"}


def test_iss_and_aud_are_not_checked_unless_the_server_names_them():
    """Backs /how-it-works ("Who made it, who it is for: iss and aud"): a stock
    flask-jwt-extended checks neither (JWT_DECODE_ISSUER and JWT_DECODE_AUDIENCE are None), so
    a token made for another app, by another issuer, passes as long as the key matches
    (flask_jwt_extended/jwt_manager.py
    `_decode_jwt_from_config` turns PyJWT's audience check off when no audience is set).
    """
    app = stock_app()
    elsewhere = forged({"iss": "https://elsewhere.example", "aud": "another-app"})
    assert get(app, f"Bearer {elsewhere}").status_code == 200


def test_iss_and_aud_are_checked_once_the_server_names_them():
    """Backs "JWT_DECODE_ISSUER and JWT_DECODE_AUDIENCE make the library refuse any other"
    (/how-it-works, "Who made it, who it is for: iss and aud"); JWT_ENCODE_ISSUER and
    JWT_ENCODE_AUDIENCE write them (flask_jwt_extended/tokens.py `_encode_jwt`).
    """
    app = stock_app(
        JWT_ENCODE_ISSUER="https://classroom.example",
        JWT_DECODE_ISSUER="https://classroom.example",
        JWT_ENCODE_AUDIENCE="classroom-api",
        JWT_DECODE_AUDIENCE="classroom-api",
    )
    token = token_for(app)
    assert claims_of(token)["iss"] == "https://classroom.example"
    assert claims_of(token)["aud"] == "classroom-api"
    assert get(app, f"Bearer {token}").status_code == 200

    other_audience = forged({"iss": "https://classroom.example", "aud": "another-api"})
    assert get(app, f"Bearer {other_audience}").get_json() == {"msg": "Audience doesn't match"}
    other_issuer = forged({"iss": "https://elsewhere.example", "aud": "classroom-api"})
    assert get(app, f"Bearer {other_issuer}").get_json() == {"msg": "Invalid issuer"}


def test_a_new_key_refuses_every_token_of_the_old_one():
    """Backs "change the key and every token signed with the old one fails its signature
    check: everyone is logged out" (/how-it-works, "Keys rotate, and nobody is logged out")."""
    old = stock_app()
    token = token_for(old)
    new = stock_app(JWT_SECRET_KEY=OTHER_KEY)
    response = get(new, f"Bearer {token}")
    assert response.status_code == 422
    assert response.get_json() == {"msg": "Signature verification failed"}


def test_the_kid_header_lets_the_server_choose_the_key():
    """Backs "a `kid` header (RFC 7515 section 4.1.4) names the key, so old and new keys can
    both be accepted for a while" (/how-it-works, "Public keys, published: the JWKS" and
    "Keys rotate, and nobody is logged out"):
    flask-jwt-extended writes it with `additional_headers` and passes the header to
    `decode_key_loader`, which picks the key.
    """
    keys = {"2030-01": KEY, "2030-02": OTHER_KEY}
    app = stock_app()
    app.extensions["flask-jwt-extended"].decode_key_loader(
        lambda header, payload: keys.get(header.get("kid"), "no-such-key-" + "x" * 32)
    )
    with app.app_context():
        old = create_access_token(identity="1", additional_headers={"kid": "2030-01"})
    new = jwt.encode(
        {**claims_of(old), "jti": "another"},
        OTHER_KEY,
        algorithm="HS256",
        headers={"kid": "2030-02"},
    )
    assert jwt.get_unverified_header(old)["kid"] == "2030-01"
    assert get(app, f"Bearer {old}").status_code == 200
    assert get(app, f"Bearer {new}").status_code == 200
    assert get(app, f"Bearer {forged()}").status_code == 422  # no kid: no key


def test_one_token_is_enough_to_guess_a_weak_key_offline():
    """Backs "anyone holding one token can test key guesses against it on their own machine:
    no server is asked, so no rate limit applies" (/how-it-works, "A weak HS256 key is guessed
    offline"): PyJWT alone says which guess signed it.
    """
    guesses = ["secret", "changeme", "super-secret", "jwt-secret"]

    def signed_with(guess: str) -> bool:
        try:
            jwt.decode(token, guess, algorithms=["HS256"])
        except jwt.InvalidSignatureError:
            return False
        return True

    # PyJWT warns about such short keys (RFC 7518 section 3.2), and signs with them anyway.
    with pytest.warns(jwt.warnings.InsecureKeyLengthWarning):
        token = jwt.encode({"sub": "1"}, "super-secret", algorithm="HS256")
        found = [guess for guess in guesses if signed_with(guess)]
    assert found == ["super-secret"]


def es256_app() -> tuple[Flask, ec.EllipticCurvePrivateKey]:
    """The lesson's set-up signing ES256: a private key signs, its public key verifies."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    app = stock_app(
        JWT_ALGORITHM="ES256", JWT_PRIVATE_KEY=private_key, JWT_PUBLIC_KEY=public_pem.decode()
    )
    return app, private_key


def test_an_hs256_token_signed_with_the_public_key_is_refused():
    """Backs the algorithm confusion attack (/how-it-works, "Attacks that come with keys"):
    flask-jwt-extended passes PyJWT its one JWT_ALGORITHM, so an HS256 token is refused before
    any signature is checked; and PyJWT refuses a PEM public key as an HMAC secret
    (jwt/algorithms.py `HMACAlgorithm.prepare_key`).
    """
    app, _private_key = es256_app()
    assert get(app, f"Bearer {token_for(app)}").status_code == 200
    public_pem = app.config["JWT_PUBLIC_KEY"].encode()
    with pytest.raises(jwt.InvalidKeyError, match="should not be used as an HMAC secret"):
        jwt.encode({"sub": "1"}, public_pem, algorithm="HS256")

    # The attacker's own HMAC, with the public key as the secret, written by hand.
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")
    payload = token_for(app).split(".")[1].encode()
    mac = hmac.new(public_pem, header + b"." + payload, hashlib.sha256).digest()
    forged_token = b".".join([header, payload, base64.urlsafe_b64encode(mac).rstrip(b"=")])
    response = get(app, f"Bearer {forged_token.decode()}")
    assert response.status_code == 422
    assert response.get_json() == {"msg": "The specified alg value is not allowed"}


def test_a_key_embedded_in_the_header_is_not_used():
    """Backs "PyJWT never reads a `jwk` header" (/how-it-works, "Attacks that come with keys"):
    a token signed with the attacker's key, its public key in the header, fails the signature
    check against the server's own public key.
    """
    app, _private_key = es256_app()
    attacker = ec.generate_private_key(ec.SECP256R1())
    embedded = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(attacker.public_key()))
    forged_token = jwt.encode(
        claims_of(token_for(app)), attacker, algorithm="ES256", headers={"jwk": embedded}
    )
    response = get(app, f"Bearer {forged_token}")
    assert response.status_code == 422
    assert response.get_json() == {"msg": "Signature verification failed"}


def test_pyjwkclient_fetches_the_jwks_again_for_an_unknown_kid():
    """Backs "PyJWKClient ... keeps a copy, and fetches it again when a token names a kid it has
    not seen, but not within 30 seconds of its last fetch (by default)" (/how-it-works, "Keys
    rotate, and nobody is logged out"): a JWKS served on this machine gains a key between lookups.
    """

    def public_jwk(kid: str) -> dict:
        key = ec.generate_private_key(ec.SECP256R1()).public_key()
        return {**jwt.algorithms.ECAlgorithm.to_jwk(key, as_dict=True), "kid": kid}

    published = {"keys": [public_jwk("2030-01")]}
    fetches = []

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetches.append(self.path)
            body = json.dumps(published).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Quiet: no request lines in the test output."""

    server = HTTPServer(("127.0.0.1", 0), Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
        client = jwt.PyJWKClient(url)  # the default cooldown, 30 seconds
        assert inspect.signature(jwt.PyJWKClient).parameters["cooldown_duration"].default == 30
        assert client.get_signing_key("2030-01").key_id == "2030-01"
        assert client.get_signing_key("2030-01").key_id == "2030-01"
        assert len(fetches) == 1  # the copy serves the second lookup

        published["keys"].append(public_jwk("2030-02"))  # a rotation
        with pytest.raises(jwt.PyJWKClientError, match="Unable to find a signing key"):
            client.get_signing_key("2030-02")
        assert len(fetches) == 1  # within 30 seconds of its fetch: not fetched again

        fresh = jwt.PyJWKClient(url, cooldown_duration=0)
        fetches.clear()
        published["keys"] = [published["keys"][0]]
        assert fresh.get_signing_key("2030-01").key_id == "2030-01"
        published["keys"].append(public_jwk("2030-03"))  # a rotation
        assert fresh.get_signing_key("2030-03").key_id == "2030-03"
        assert len(fetches) == 2  # an unknown kid: fetched again
    finally:
        server.shutdown()
        server.server_close()
