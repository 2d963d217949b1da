"""A student's implementation of the lesson, done right, with flaws switched on by name.

Each flaw is one mistake students make; the grader's tests switch on one (or a few unrelated
ones) and check that the grader reports exactly those. With no flaw, every check passes.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from datetime import timedelta

import jwt as pyjwt
from flask import Flask, Response, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash, generate_password_hash

# Each flaw, and what it does to the API (flaws of the page are in page/app.js).
API_FLAWS = {
    "login_no_token": "the login answers 200 without a token",
    "opaque_token": "the token is 40 random hex digits, kept in a dict: not a JWT",
    "int_sub": "create_access_token(identity=user.id): an integer sub",
    "no_exp": "JWT_ACCESS_TOKEN_EXPIRES = False: the token never expires",
    "long_exp": "the token lives 30 days",
    "tutorial_key": 'JWT_SECRET_KEY = "super-secret"',
    "optional_jwt": "@jwt_required(optional=True): the route answers without a token",
    "no_verify": "the route decodes the token without checking its signature",
    "wrong_password_403": "both failed logins answer 403",
    "enumeration": 'an unknown user gets 404 "User not found"',
    "no_cors": "no CORS: the browser may not call the API from the page's origin",
    "rate_limited": "a second failed login from anyone answers 429",
    "renamed": "the token route is /login, the protected one /me, the field access_token",
    "identity_from_query": "the protected route answers for ?user_id=, not for the token",
    "reflect_origin": "CORS echoes any Origin, with credentials allowed",
    "star_headers": "the CORS preflight answers `Access-Control-Allow-Headers: *`",
    "logins_3_a_minute": "a fourth login request in a minute answers 429",
    "dies_after_login": "the server stops half a second after a successful login",
    "jwks_secret": "/.well-known/jwks.json publishes the HS256 secret (an `oct` key with `k`)",
    "jku_elsewhere": "every token's header sends verifiers to keys on another site (`jku`)",
}


def create_app(username: str, password: str, flaws: set[str], page_origin: str) -> Flask:
    """The API with one user (id 1), its password hashed, and the given flaws."""
    app = Flask(__name__)
    key = "super-secret" if "tutorial_key" in flaws else secrets.token_urlsafe(32)
    app.config["JWT_SECRET_KEY"] = key
    if "no_exp" in flaws:
        app.config["JWT_ACCESS_TOKEN_EXPIRES"] = False
    if "long_exp" in flaws:
        app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(days=30)
    JWTManager(app)
    if "reflect_origin" in flaws:
        CORS(app, origins=r".*", supports_credentials=True)
    elif "no_cors" not in flaws and "star_headers" not in flaws:
        CORS(app, origins=[page_origin])

    users = {
        username: {"id": 1, "username": username, "hash": generate_password_hash(password)},
        "classmate": {"id": 2, "username": "classmate", "hash": generate_password_hash("other")},
    }
    logins: list[float] = []
    dummy_hash = generate_password_hash(secrets.token_urlsafe(16))
    opaque: dict[str, int] = {}
    failures = {"count": 0}

    if "star_headers" in flaws:

        @app.before_request
        def preflight() -> Response | None:
            """A hand-written preflight answer, with `*` for the headers."""
            if request.method != "OPTIONS":
                return None
            response = Response(status=204)
            response.headers["Access-Control-Allow-Methods"] = "GET, POST"
            response.headers["Access-Control-Allow-Headers"] = "*"
            return response

        @app.after_request
        def allow_origin(response: Response) -> Response:
            response.headers["Access-Control-Allow-Origin"] = page_origin
            return response

    renamed = "renamed" in flaws
    token_path, protected_path = ("/login", "/me") if renamed else ("/token", "/protected")
    field = "access_token" if renamed else "token"
    refused = 403 if "wrong_password_403" in flaws else 401

    def failed(msg: str, status: int) -> tuple:
        failures["count"] += 1
        if "rate_limited" in flaws and failures["count"] > 1:
            return jsonify(msg="Too many attempts"), 429, {"Retry-After": "60"}
        return jsonify(msg=msg), status

    @app.post(token_path)
    def create_token() -> tuple:
        """Log in: a token for the right username and password."""
        logins.append(time.monotonic())
        if "logins_3_a_minute" in flaws and len([t for t in logins if t > logins[-1] - 60]) > 3:
            return jsonify(msg="Too many attempts"), 429, {"Retry-After": "60"}
        body = request.get_json(silent=True) or {}
        user = users.get(body.get("username"))
        given = str(body.get("password", ""))
        if user is None:
            if "enumeration" in flaws:
                return failed("User not found", 404)
            check_password_hash(dummy_hash, given)  # the same work as a wrong password
            return failed("Bad username or password", refused)
        if not check_password_hash(user["hash"], given):
            return failed("Bad username or password", refused)
        if "dies_after_login" in flaws:
            threading.Timer(0.5, os._exit, [1]).start()
        if "login_no_token" in flaws:
            return jsonify(msg="Logged in"), 200
        if "opaque_token" in flaws:
            token = secrets.token_hex(20)
            opaque[token] = user["id"]
        else:
            identity = user["id"] if "int_sub" in flaws else str(user["id"])
            headers = (
                {"jku": "https://keys.example.com/jwks.json"} if "jku_elsewhere" in flaws else {}
            )
            token = create_access_token(identity=identity, additional_headers=headers)
        return jsonify({field: token, "user_id": user["id"]}), 200

    if "jwks_secret" in flaws:

        @app.get("/.well-known/jwks.json")
        def jwks() -> tuple:
            """The signing key "for other services to check tokens": the secret itself."""
            secret = pyjwt.utils.base64url_encode(key.encode()).decode()
            return jsonify(keys=[{"kty": "oct", "kid": "main", "k": secret}]), 200

    def me(user_id: object) -> tuple:
        user = next((u for u in users.values() if str(u["id"]) == str(user_id)), None)
        if user is None:
            return jsonify(msg="User not found"), 404
        return jsonify(id=user["id"], username=user["username"]), 200

    if "no_verify" in flaws or "opaque_token" in flaws:

        @app.get(protected_path)
        def protected() -> tuple:
            """The protected route, checking the token by hand (badly)."""
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if "opaque_token" in flaws:
                if token not in opaque:
                    return jsonify(msg="Bad token"), 401
                return me(opaque[token])
            try:
                claims = pyjwt.decode(token, options={"verify_signature": False})
            except pyjwt.PyJWTError:
                return jsonify(msg="Bad token"), 401
            return me(claims.get("sub"))

    else:

        @app.get(protected_path)
        @jwt_required(optional="optional_jwt" in flaws)
        def protected() -> tuple:
            """The protected route: whoever the token says, checked by flask-jwt-extended."""
            identity = get_jwt_identity()
            if identity is None:
                return jsonify(msg="Hello, guest"), 200
            if "identity_from_query" in flaws:
                return me(request.args.get("user_id", identity))
            return me(identity)

    return app
