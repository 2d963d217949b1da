"""app/jwt_manager.py decodes a token once, and answers exactly as flask-jwt-extended would.

The override replaces a private method of the library, so these tests compare it with the
library's own method on every kind of token (forged, malformed, expired, signed with other
claims, with and without a CSRF value), with the library's decode settings and with each of
them changed. An upgrade of flask-jwt-extended must pass them.
"""

from __future__ import annotations

import json
import time
from typing import Any

import flask_jwt_extended
import jwt as pyjwt
import pytest
from conftest import TEST_SECRET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_token_fuzz import json_values, jwt_shaped

from app.extensions import jwt

SAME = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

CLAIMS = ["sub", "exp", "nbf", "iat", "jti", "type", "sid", "fresh", "csrf", "aud", "iss"]

NEAR_NOW = st.integers(-300, 300).map(lambda seconds: int(time.time()) + seconds)

# Tokens that pass the signature check, so the claim checks after it are compared too. Signed
# as raw JWS: pyjwt.encode() would refuse to make some of these claims (an integer `iss`, ...).
signed = st.builds(
    lambda claims, algorithm: pyjwt.api_jws.encode(
        json.dumps(claims).encode(), TEST_SECRET, algorithm=algorithm
    ),
    st.dictionaries(st.sampled_from(CLAIMS), json_values)
    | st.fixed_dictionaries(
        # A non-string sub (the lesson's mistake), and times near now, where leeway matters.
        {"sub": st.sampled_from(["1", 1]), "exp": NEAR_NOW | st.integers(-(10**10), 10**10)},
        optional={
            "uid": st.just("1"),
            "csrf": st.sampled_from(["abc", "other"]),
            "type": st.just("refresh"),
            "aud": st.sampled_from(["classroom", "elsewhere"]),
            "iss": st.sampled_from(["jwt-classroom", "elsewhere"]),
            "nbf": NEAR_NOW,
        },
    ),
    st.sampled_from(["HS256", "HS512"]),
)


def outcome(decode: Any, token: str, csrf_value: str | None, allow_expired: bool) -> Any:
    """What a decode gives: the claims, or the error's type and message (and its extras)."""
    try:
        return decode(token, csrf_value, allow_expired)
    except Exception as e:  # whatever comes out, the two must agree
        return type(e), str(e), getattr(e, "jwt_header", None), getattr(e, "jwt_data", None)


# The library's defaults, then every decode setting the override passes on changed from them.
DECODE_SETTINGS = [
    {},
    {
        "JWT_DECODE_AUDIENCE": "classroom",
        "JWT_DECODE_ISSUER": "jwt-classroom",
        "JWT_DECODE_LEEWAY": 120,
        "JWT_IDENTITY_CLAIM": "uid",
        "JWT_VERIFY_SUB": False,
        "JWT_DECODE_ALGORITHMS": ["HS256", "HS512"],
    },
]


@pytest.mark.parametrize("decode_settings", DECODE_SETTINGS)
def test_every_token_gets_the_library_answer(app, decode_settings):
    app.config.update(decode_settings)

    def library(token: str, csrf: str | None, expired_ok: bool) -> dict:
        return flask_jwt_extended.JWTManager._decode_jwt_from_config(jwt, token, csrf, expired_ok)

    @SAME
    @given(
        token=signed | jwt_shaped | st.text(max_size=50),
        csrf_value=st.sampled_from([None, "abc"]),
        allow_expired=st.booleans(),
    )
    def check(token: str, csrf_value: str | None, allow_expired: bool) -> None:
        ours = outcome(jwt._decode_jwt_from_config, token, csrf_value, allow_expired)
        theirs = outcome(library, token, csrf_value, allow_expired)
        assert ours == theirs

    with app.app_context():
        check()


def test_an_expired_token_still_tells_the_callback_whose_it_was(app):
    # The expired-token callback may read the header and claims: they travel on the exception.
    token = pyjwt.encode({"sub": "1", "exp": int(time.time()) - 60}, TEST_SECRET)
    with app.app_context(), pytest.raises(pyjwt.ExpiredSignatureError) as raised:
        jwt._decode_jwt_from_config(token)
    assert raised.value.jwt_header == {"alg": "HS256", "typ": "JWT"}  # type: ignore[attr-defined]
    assert raised.value.jwt_data["sub"] == "1"  # type: ignore[attr-defined]


def test_a_protected_request_parses_the_token_twice_not_four_times(client, auth, monkeypatch):
    headers = auth.headers()
    parses = 0
    load = pyjwt.api_jws.PyJWS._load

    def counting_load(self: pyjwt.api_jws.PyJWS, token: str | bytes) -> Any:
        nonlocal parses
        parses += 1
        return load(self, token)

    monkeypatch.setattr(pyjwt.api_jws.PyJWS, "_load", counting_load)
    assert client.get("/api/protected", headers=headers).status_code == 200
    # One checked decode, and the header the library reads again after it (view_decorators.py).
    # The library alone parses four times: a decode and a header read before the checked one.
    assert parses == 2


def test_a_key_loader_still_gets_the_token_before_the_check(app, monkeypatch):
    # With a decode_key_loader registered, the override steps aside: the library's path runs.
    seen: list[tuple[dict, dict]] = []

    def key_for(header: dict, claims: dict) -> str:
        seen.append((header, claims))
        return TEST_SECRET

    payload = {"sub": "7", "exp": int(time.time()) + 60}
    token = pyjwt.encode(payload, TEST_SECRET)
    # `jwt` serves every app: monkeypatch puts the default key callback back after the test.
    monkeypatch.setattr(jwt, "_decode_key_callback", jwt._decode_key_callback)
    jwt.decode_key_loader(key_for)
    with app.app_context():
        claims = jwt._decode_jwt_from_config(token)
    assert seen == [({"alg": "HS256", "typ": "JWT"}, payload)]
    assert claims["sub"] == "7"
