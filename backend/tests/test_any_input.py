"""No input is a server error: arbitrary bodies, nesting and headers at every route.

Hypothesis sends what no client would: random bytes as the body, JSON nested a thousand levels
deep, bodies in UTF-16, Content-Types and header values with non-ASCII and non-UTF-8 bytes,
garbage CSRF values next to a genuine refresh cookie, a genuine token next to a garbage body.
Every answer must be below 500, and every /api error must be the contract's JSON {"msg"}.
(test_token_fuzz.py varies the token itself; `make fuzz` follows the OpenAPI document.)
"""

from __future__ import annotations

import json

import pytest
from helpers import Browser
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# A few hundred requests in all: seconds, with the suite's cheap password hashing.
ANY_INPUT = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Header values as a server hands them to the app: any byte but CR, LF and NUL, decoded as
# latin-1 (WSGI's rule). Bytes 0x80-0xFF are non-ASCII, and most sequences of them not UTF-8.
header_value = st.text(
    alphabet=st.characters(min_codepoint=0x01, max_codepoint=0xFF, exclude_characters="\r\n"),
    max_size=80,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["username", "password", "current_password", "new_password"])
            | st.text(max_size=10),
            children,
            max_size=4,
        )
    ),
    max_leaves=10,
)


def nested(depth: int, inner: str) -> str:
    """A login body whose username is `inner` inside `depth` arrays, as JSON text."""
    return '{"username": ' + "[" * depth + inner + "]" * depth + "}"


bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    json_values.map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-16")),
    st.builds(
        nested, st.sampled_from([2, 100, 1000, 5000, 8000]), st.sampled_from(['"a"', "1", ""])
    ).map(str.encode),
)

content_types = st.one_of(
    st.just("application/json"),
    st.sampled_from(
        [
            "application/json; charset=utf-8",
            "application/json; charset=utf-16",
            "application/vnd.api+json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ]
    ),
    header_value,
)

ROUTES = [
    ("POST", "/api/token"),
    ("POST", "/api/signup"),
    ("POST", "/api/password"),
    ("POST", "/api/logout"),
    ("POST", "/api/token/refresh"),
    ("POST", "/api/lab/tokens"),
    ("GET", "/api/protected"),
    ("GET", "/api/health"),
    ("GET", "/api/demo"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/docs"),
    ("GET", "/api/nope"),
    ("GET", "/private"),
]


@pytest.fixture
def limits_that_never_stop_the_fuzzer(settings):
    # The limits stay on (their key functions read the body and the token), but never trip.
    settings.update(
        RATELIMIT_LOGIN_PER_USERNAME="100000/minute",
        RATELIMIT_LOGIN_PER_ADDRESS="100000/minute",
        RATELIMIT_SIGNUP_PER_ADDRESS="100000/minute",
        RATELIMIT_REFRESH_PER_SESSION="100000/minute",
        RATELIMIT_LAB_TOKENS_PER_SESSION="100000/minute",
        RATELIMIT_LAB_TOKENS_PER_USER="100000/minute",
    )
    return settings


def assert_no_server_error(response, path: str) -> None:
    assert response.status_code < 500, (response.status_code, response.get_data()[:300])
    if path.startswith("/api/") and response.status_code >= 400:
        assert isinstance(response.get_json()["msg"], str)
        if response.status_code == 401:
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_any_body_and_headers_at_any_route(
    limits_that_never_stop_the_fuzzer, app, auth, method, path
):
    auth.signup("alice")

    @ANY_INPUT
    @given(
        body=bodies,
        content_type=content_types,
        authorization=st.none() | st.just("GENUINE") | header_value,
        csrf=st.none() | st.just("GENUINE") | header_value,
        extra=st.dictionaries(
            st.sampled_from(["Accept", "Origin", "X-Forwarded-For", "Accept-Charset", "Cookie"]),
            header_value,
            max_size=2,
        ),
    )
    # What an attacker tried first, so every run covers it whatever Hypothesis draws (deeper
    # than 1,000 levels: Hypothesis raises the recursion limit while it runs a test).
    @example(nested(5000, '"a"'), "application/json", "GENUINE", None, {})
    @example(b"{}", "application/json", "GENUINE", "\xe9t\xe9", {})
    def check(body, content_type, authorization, csrf, extra):
        browser = Browser(app.test_client())
        if "GENUINE" in (authorization, csrf):
            # A live token and refresh cookie: the checks get further.
            assert browser.login("alice").status_code == 200
        headers = {"Content-Type": content_type, **extra}
        if authorization is not None:
            headers["Authorization"] = (
                browser.headers["Authorization"] if authorization == "GENUINE" else authorization
            )
        if csrf is not None:
            headers["X-CSRF-TOKEN"] = browser.csrf_cookie() if csrf == "GENUINE" else csrf
        response = browser.client.open(path, method=method, data=body, headers=headers)
        response.close()  # a file-backed answer (/api/docs) holds the file open until then
        assert_no_server_error(response, path)

    check()
