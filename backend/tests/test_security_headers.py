"""Security headers: what the browser is told on SPA pages, on API answers and in production."""

import pytest


def get(client, path):
    """GET `path` and close the file Flask opened to send it (a ResourceWarning otherwise)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


SPA_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


@pytest.mark.parametrize("path", ["/", "/login", "/private", "/assets/index-abc123.js"])
def test_spa_responses_carry_the_strict_policy(client, path):
    response = get(client, path)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == SPA_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/api/health", "/api/protected", "/api/nope"])
def test_api_responses_may_load_nothing_and_are_not_cached(client, path):
    response = get(client, path)
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; frame-ancestors 'none'"
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_token_response_is_not_cached(auth):
    auth.signup()
    assert auth.login().headers["Cache-Control"] == "no-store"


def test_an_extra_connect_src_is_added_for_an_api_elsewhere(make_app):
    app = make_app(schema=None, CSP_CONNECT_SRC=["https://api.example.org"])
    response = get(app.test_client(), "/")
    assert (
        "connect-src 'self' https://api.example.org;" in response.headers["Content-Security-Policy"]
    )


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in get(client, "/").headers


def test_hsts_in_production(make_app):
    response = get(make_app(schema=None, APP_ENV="production").test_client(), "/")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
