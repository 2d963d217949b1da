"""Any Authorization header or refresh cookie at all: a 401 in the contract's shape, never a 500.

`make fuzz` (schemathesis) generates bodies from the OpenAPI document, but the routes without a
body (GET /api/protected, POST /api/logout, POST /api/lab/tokens, POST /api/token/refresh) have
almost nothing for it to vary. Here Hypothesis generates the one input they do have: the token.
"""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# The app and client fixtures are made once per test and reused by every example: each request
# here only reads, so one example cannot change what the next one sees.
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

BEARER_ROUTES = [
    ("get", "/api/protected"),
    ("post", "/api/logout"),
    ("post", "/api/lab/tokens"),
]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=8,
)

BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

# Three dot-separated parts that decode to JSON (or not): what a forger would try first.
jwt_shaped = st.builds(
    lambda header, payload, signature: ".".join(
        [b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode()), signature]
    ),
    st.dictionaries(st.sampled_from(["alg", "typ", "kid", "crit"]), json_values)
    | st.fixed_dictionaries({"alg": st.sampled_from(["none", "HS256", "HS512", "RS256", "ES256"])}),
    st.dictionaries(
        st.sampled_from(["sub", "exp", "nbf", "iat", "jti", "type", "sid", "fresh"]), json_values
    ),
    st.text(alphabet=BASE64URL, max_size=86),
)

# Header values a client can actually send: latin-1, no line breaks.
header_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=200,
)
authorization = (
    header_text | jwt_shaped.map(lambda t: f"Bearer {t}") | header_text.map(lambda t: f"Bearer {t}")
)


def assert_contract_401(response) -> None:
    assert response.status_code == 401, (response.status_code, response.get_data(as_text=True))
    assert response.is_json
    assert isinstance(response.get_json()["msg"], str)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), BEARER_ROUTES)
def test_any_authorization_header_is_a_json_401(client, method, path):
    @FUZZ
    @given(value=authorization)
    def check(value):
        response = getattr(client, method)(path, headers={"Authorization": value})
        assert_contract_401(response)

    check()


def test_any_refresh_cookie_is_a_json_401(client):
    @FUZZ
    @given(cookie=jwt_shaped | header_text, csrf=header_text)
    def check(cookie, csrf):
        client.set_cookie("refresh_token_cookie", cookie, path="/api/token/refresh")
        response = client.post("/api/token/refresh", headers={"X-CSRF-TOKEN": csrf})
        assert_contract_401(response)

    check()
