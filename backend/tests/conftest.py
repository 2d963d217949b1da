"""Shared fixtures: a fresh app and database per test, a client, and an `auth` helper.

The suite runs on SQLite (a new file per test) unless TEST_DATABASE_URL names a PostgreSQL
server, e.g. `TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make
test-backend`: then the run creates a scratch database of its own on that server (so two runs
never share tables), gives every test an empty schema in it, and drops it at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from helpers import PASSWORD, Browser, psycopg_connect
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool

from app import create_app
from app.extensions import db

# 64+ bytes, so tests may also sign HS512 tokens with it without PyJWT's short-key warning.
# Random after the prefix, so production's key check (a guessing estimate) accepts it too.
TEST_SECRET = "test-only-key-shN3XglylZeO2D1jfona4244oLe6NrvO_vPPMy_oB-qaGv6M8o"


@pytest.fixture
def spa_dist(tmp_path):
    """A stand-in for frontend/dist: index.html and one hashed asset."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>JWT Classroom</title>")
    (dist / "assets" / "index-abc123.js").write_text("console.log('hi')")
    return dist


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """None on SQLite; with TEST_DATABASE_URL, the URL of a scratch database for this run."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield None
        return
    name = f"classroom_pytest_{uuid.uuid4().hex[:12]}"
    # TEST_DATABASE_URL is only used to reach the server: its own tables are never touched.
    with psycopg_connect(server_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with psycopg_connect(server_url) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def close_every_connection() -> Iterator[None]:
    """Close the database connections of every app a test made, not only the `app` fixture's.

    Tests that call create_app() themselves leave a pool behind; on PostgreSQL its sockets
    would be closed by the garbage collector instead, as a ResourceWarning (an error here).
    Pool events see every connection, including those the revocation check takes with
    raw_connection(), which opens no SQLAlchemy Connection.
    """
    opened: list[Any] = []

    def remember(dbapi_connection: Any, _record: object) -> None:
        opened.append(dbapi_connection)

    event.listen(Pool, "connect", remember)
    yield
    event.remove(Pool, "connect", remember)
    for connection in opened:
        connection.close()  # closing twice is harmless, for SQLite and psycopg alike


@pytest.fixture
def database_url(postgres_url, tmp_path) -> str:
    """An empty database for this test: a new SQLite file, or an emptied PostgreSQL schema."""
    if postgres_url is None:
        return f"sqlite:///{tmp_path / 'test.db'}"
    with psycopg_connect(postgres_url) as conn:
        # Fail loudly instead of hanging if an earlier test left a transaction open.
        conn.execute("SET lock_timeout = '10s'")
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return postgres_url


@pytest.fixture
def settings(database_url, spa_dist):
    """The settings `app` is built with; a test may change them before asking for `app`."""
    return {
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "JWT_SECRET_KEY": TEST_SECRET,
        "ACCESS_TOKEN_TTL": 900,
        "CORS_ORIGINS": ["http://localhost:5173"],
        "DEMO_MODE": True,
        "SPA_DIST": spa_dist,
        # Still argon2id, just cheap: the suite would take minutes at 64 MiB per hash.
        "PASSWORD_HASH_PROFILE": "test",
    }


@pytest.fixture
def app(settings):
    """A fresh app with an empty database (schema from the models)."""
    app = create_app(settings)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    """Sign up and log in through the real API, like the SPA does."""

    def __init__(self, client):
        self._client = client

    def signup(self, username="alice", password=PASSWORD):
        return self._client.post("/api/signup", json={"username": username, "password": password})

    def login(self, username="alice", password=PASSWORD):
        return self._client.post("/api/token", json={"username": username, "password": password})

    def headers(self, username="alice", password=PASSWORD):
        """Sign up (if needed) and log in; return the Authorization header for that user."""
        self.signup(username, password)
        response = self.login(username, password)
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}


@pytest.fixture
def verify_calls(monkeypatch):
    """Record every argon2 verification the app makes (from any thread)."""
    calls = []
    real_verify = PasswordHasher.verify

    def spy(self, hash, password):
        calls.append(hash)
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return calls


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def logged_in(app, auth):
    """A factory: logged_in("alice") signs alice up if needed and logs her in, in a new browser."""

    def make(username="alice", password=PASSWORD):
        auth.signup(username, password)
        b = Browser(app)
        b.login(username, password)
        return b

    return make
