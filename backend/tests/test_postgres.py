"""The same app on PostgreSQL (the contract allows any SQLAlchemy URL; SQLite is the default).

Each test gets a database of its own on the server TEST_DATABASE_URL names (this machine's when
unset: conftest.py), dropped after; without a server they are skipped.
"""

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from helpers import sign, token_claims

from app.extensions import db


@pytest.fixture
def pg_app(postgres_database, make_app):
    """An app on a fresh PostgreSQL database, built by the migrations."""
    return make_app(schema="migrations", SQLALCHEMY_DATABASE_URI=postgres_database)


def test_migrations_match_the_models_on_postgresql(pg_app):
    with pg_app.app_context(), db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []


def test_signup_login_and_protected_on_postgresql(pg_app):
    client = pg_app.test_client()
    body = {"username": "alice", "password": "correct horse"}
    assert client.post("/api/signup", json=body).status_code == 201
    assert client.post("/api/signup", json={**body, "username": "ALICE"}).status_code == 409
    token = client.post("/api/token", json=body).get_json()["token"]
    response = client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})
    assert response.get_json()["username"] == "alice"
    assert client.get("/api/health").get_json() == {"status": "ok"}


@pytest.mark.parametrize("sub", [str(2**31 - 1), str(2**31), str(2**63), "9" * 40])
def test_a_huge_sub_is_401_not_a_database_error(pg_app, sub):
    # users.id is a 32-bit INTEGER here: asking for 2**31 would be "integer out of range".
    token = sign(pg_app, {"sub": sub, "exp": 2**32, **token_claims(pg_app)})
    response = pg_app.test_client().get(
        "/api/protected", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert response.get_json() == {"msg": "User not found", "error": "user_not_found"}


def test_the_token_lifecycle_on_postgresql(pg_app):
    """Login, refresh, reuse detection and logout: the same queries work on PostgreSQL."""
    client = pg_app.test_client()
    body = {"username": "alice", "password": "correct horse"}
    client.post("/api/signup", json=body)
    first = client.post("/api/token", json=body).get_json()["token"]
    stolen = client.get_cookie("refresh_token_cookie", path="/api/token/refresh").value
    csrf = client.get_cookie("csrf_refresh_token").value

    refreshed = client.post("/api/token/refresh", headers={"X-CSRF-TOKEN": csrf})
    assert refreshed.status_code == 200
    token = refreshed.get_json()["token"]
    assert client.get("/api/protected", headers={"Authorization": f"Bearer {token}"}).is_json

    client.set_cookie("refresh_token_cookie", stolen, path="/api/token/refresh")
    client.set_cookie("csrf_refresh_token", csrf)
    reuse = client.post("/api/token/refresh", headers={"X-CSRF-TOKEN": csrf})
    assert reuse.status_code == 401
    for old in (first, token):
        response = client.get("/api/protected", headers={"Authorization": f"Bearer {old}"})
        assert response.get_json() == {"msg": "Token has been revoked", "error": "refresh_reused"}

    again = client.post("/api/token", json=body).get_json()["token"]
    logout = client.post("/api/logout", headers={"Authorization": f"Bearer {again}"})
    assert logout.status_code == 200
    response = client.get("/api/protected", headers={"Authorization": f"Bearer {again}"})
    assert response.get_json() == {"msg": "Token has been revoked", "error": "token_revoked"}
    assert pg_app.test_cli_runner().invoke(args=["prune-tokens"]).exit_code == 0


def test_a_write_on_a_connection_the_database_dropped_is_a_503_to_retry(pg_app):
    """A database restart ends the pool's connections: the request that meets one first is told
    to try again (503, Retry-After), not given a 500, and the next one works."""
    client = pg_app.test_client()
    body = {"username": "alice", "password": "correct horse"}
    client.post("/api/signup", json=body)
    assert client.post("/api/token", json=body).status_code == 200  # a pooled connection

    with pg_app.app_context():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )

    lost = client.post("/api/token", json=body)
    assert lost.status_code == 503
    assert lost.headers["Retry-After"] == "1"
    assert lost.get_json() == {
        "msg": "The connection to the database was lost; please try again",
        "error": "database_unavailable",
    }
    assert client.post("/api/token", json=body).status_code == 200
