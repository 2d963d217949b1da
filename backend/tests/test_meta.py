"""GET /api/health and GET /api/demo."""

import socket

import pytest


def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.fixture
def unreachable_db(make_app, tmp_path):
    # A SQLite file in a directory that does not exist cannot be opened: a real failure.
    missing = f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}"
    return make_app(schema=None, SQLALCHEMY_DATABASE_URI=missing)


def test_health_is_503_when_the_database_does_not_answer(unreachable_db):
    response = unreachable_db.test_client().get("/api/health")
    assert response.status_code == 503
    assert response.get_json() == {
        "msg": "Database unavailable",
        "error": "database_unavailable",
        "status": "error",
    }


def _closed_port() -> int:
    """A local port nothing listens on (bound by the OS, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_is_503_when_postgresql_is_down(make_app):
    # What a load balancer sees when the database server stops: connection refused -> 503.
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/classroom"
    app = make_app(schema=None, SQLALCHEMY_DATABASE_URI=url)
    response = app.test_client().get("/api/health")
    assert response.status_code == 503
    assert response.get_json() == {
        "msg": "Database unavailable",
        "error": "database_unavailable",
        "status": "error",
    }


def test_demo_lists_the_accounts_in_demo_mode(client):
    assert client.get("/api/demo").get_json() == {
        "enabled": True,
        "accounts": [
            {"username": "demo", "password": "demo1234", "role": "student"},
            {"username": "student", "password": "student1234", "role": "student"},
            {"username": "teacher", "password": "teacher1234", "role": "teacher"},
        ],
    }


def test_demo_lists_nothing_when_demo_mode_is_off(make_app):
    app = make_app(schema=None, DEMO_MODE=False)
    assert app.test_client().get("/api/demo").get_json() == {"enabled": False, "accounts": []}
