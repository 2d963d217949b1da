"""Requests the API cannot use get a JSON {"msg"} error, never an HTML page."""

import pytest
from flask import Blueprint


@pytest.mark.parametrize("path", ["/api/token", "/api/signup"])
@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({}, "no body"),
        ({"data": "not json", "content_type": "application/json"}, "invalid JSON"),
        ({"data": '{"username": "a"', "content_type": "application/json"}, "truncated JSON"),
        ({"json": ["alice", "pw"]}, "a JSON array"),
        ({"json": "alice"}, "a JSON string"),
        ({"json": None}, "JSON null"),
        (
            {
                "data": '{"username": "alice", "password": "correct horse"}',
                "content_type": "text/plain",
            },
            "JSON sent as text/plain",
        ),
        ({"data": {"username": "alice", "password": "pw"}}, "a form post"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(client, path, kwargs, why):
    response = client.post(path, **kwargs)
    assert response.status_code == 400, why
    assert response.get_json() == {"msg": "Request body must be a JSON object"}


def test_a_body_over_16_kib_is_413(client):
    response = client.post("/api/token", json={"username": "alice", "password": "x" * (20 * 1024)})
    assert response.status_code == 413
    assert response.is_json
    assert "msg" in response.get_json()


def test_a_body_just_under_the_limit_is_read(client):
    response = client.post("/api/token", json={"username": "alice", "password": "x" * 1000})
    assert response.status_code == 401


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_path_is_json_404(client, method):
    response = getattr(client, method)("/api/nope")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["msg"].startswith("The requested URL was not found")


def test_wrong_method_is_json_405_with_allow(client):
    response = client.get("/api/token")
    assert response.status_code == 405
    assert response.get_json() == {"msg": "The method is not allowed for the requested URL."}
    assert "POST" in response.headers["Allow"]
    assert response.headers["Content-Type"] == "application/json"


@pytest.fixture
def crashing_app(settings):
    """An app with one route that raises, as a bug would; exceptions are not propagated."""
    from app import create_app

    app = create_app({**settings, "PROPAGATE_EXCEPTIONS": False})
    bp = Blueprint("crash", __name__)

    @bp.get("/crash")
    def crash():
        raise RuntimeError("secret internal detail")

    app.register_blueprint(bp, url_prefix="/api")
    return app


def test_a_crash_is_json_500_without_internals(crashing_app, caplog):
    response = crashing_app.test_client().get("/api/crash")

    assert response.status_code == 500
    assert response.get_json() == {"msg": "Internal server error"}
    assert "secret internal detail" not in response.get_data(as_text=True)
    # ...but the traceback is in the log, where the developer looks.
    assert "secret internal detail" in caplog.text
