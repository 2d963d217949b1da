"""Cross-origin calls (the Vite dev server on :5173 calling the API on :5000).

The `settings` fixture allows one origin explicitly, as `make dev` must; the default is none.
"""

import pytest

ALLOWED = "http://localhost:5173"
OTHER = "https://evil.example"


def test_an_allowed_origin_may_read_the_response(client):
    response = client.get("/api/health", headers={"Origin": ALLOWED})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


def test_another_origin_gets_no_cors_headers(client):
    response = client.get("/api/health", headers={"Origin": OTHER})
    assert "Access-Control-Allow-Origin" not in response.headers


def preflight(client, origin):
    return client.options(
        "/api/protected",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )


def test_preflight_from_an_allowed_origin_allows_the_authorization_header(client):
    response = preflight(client, ALLOWED)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()


def test_preflight_from_another_origin_is_not_allowed(client):
    response = preflight(client, OTHER)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Headers" not in response.headers


def test_a_401_is_readable_cross_origin(client):
    """The SPA must see the 401's msg to explain it, so errors carry CORS headers too."""
    response = client.get("/api/protected", headers={"Origin": ALLOWED})
    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED


def test_a_same_origin_request_gets_no_cors_headers(client):
    response = client.get("/api/health")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_preflight_for_the_refresh_call_allows_the_csrf_header_with_credentials(client):
    response = client.options(
        "/api/token/refresh",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-CSRF-TOKEN",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "x-csrf-token" in response.headers["Access-Control-Allow-Headers"].lower()


VITE_PORT_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173"]


@pytest.mark.parametrize("origin", VITE_PORT_ORIGINS)
def test_by_default_no_origin_may_call_the_refresh_endpoint(
    settings, make_app, monkeypatch, origin
):
    """Without CORS_ORIGINS, another page on the Vite port (any project a student runs there)
    gets no CORS answer, so its script can neither refresh with our cookie nor read the token."""
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    monkeypatch.setattr("app.config.load_dotenv", lambda *args, **kwargs: False)
    settings.pop("CORS_ORIGINS")
    client = make_app(schema=None).test_client()

    response = client.options(
        "/api/token/refresh",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-CSRF-TOKEN",
        },
    )
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers

    response = client.get("/api/health", headers={"Origin": origin})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
