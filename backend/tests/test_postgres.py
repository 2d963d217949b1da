"""The same app on PostgreSQL (the contract allows any SQLAlchemy URL; SQLite is the default).

Needs a PostgreSQL server (127.0.0.1:5432, user postgres, trust auth, as on the dev and CI
machines; TEST_POSTGRES_URL overrides). Each test gets a database of its own, dropped after.
"""

import os
import uuid

import flask_migrate
import jwt
import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from helpers import psycopg_connect
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db

SERVER_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def admin_connection():
    url = make_url(SERVER_URL)
    try:
        return psycopg_connect(SERVER_URL)
    except psycopg.OperationalError as e:
        pytest.skip(f"no PostgreSQL server at {url.render_as_string()}: {e}")


@pytest.fixture
def pg_app(settings):
    """An app on a fresh PostgreSQL database, built by the migrations."""
    name = f"classroom_test_{uuid.uuid4().hex[:12]}"
    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


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
    token = jwt.encode({"sub": sub, "exp": 2**32}, pg_app.config["JWT_SECRET_KEY"], "HS256")
    response = pg_app.test_client().get(
        "/api/protected", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert response.get_json() == {"msg": "User not found"}


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
        assert response.get_json() == {"msg": "Token has been revoked"}

    again = client.post("/api/token", json=body).get_json()["token"]
    logout = client.post("/api/logout", headers={"Authorization": f"Bearer {again}"})
    assert logout.status_code == 200
    response = client.get("/api/protected", headers={"Authorization": f"Bearer {again}"})
    assert response.get_json() == {"msg": "Token has been revoked"}
    assert pg_app.test_cli_runner().invoke(args=["prune-tokens"]).exit_code == 0
