"""Shared fixtures: apps and their databases, a client, a CLI runner, and browsers that log in.

The suite runs on SQLite (a new file per test) unless TEST_DATABASE_URL names a PostgreSQL
server, e.g. `TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make
test-backend`: then the run creates a scratch database of its own on that server (so two runs
never share tables), gives every test an empty schema in it, and drops it at the end. The tests
about PostgreSQL itself (`postgres_database`) get a database of their own on that server, or on
this machine's when the variable is unset, and are skipped when no server answers.
tools/scratch_database.py makes and drops those databases.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from helpers import PASSWORD, TEST_SECRET, Browser, upgrade

from app import create_app
from app.extensions import db
from tools.scratch_database import SERVER_VARIABLE, NoServer, connect, scratch_database


@pytest.fixture
def spa_dist(tmp_path):
    """A stand-in for frontend/dist: index.html and one hashed asset."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>JWT Classroom</title>")
    (dist / "assets" / "index-abc123.js").write_text("console.log('hi')")
    return dist


@pytest.fixture(scope="session")
def suite_postgres() -> Iterator[str | None]:
    """None on SQLite; with TEST_DATABASE_URL, the URL of this run's scratch database."""
    if not os.environ.get(SERVER_VARIABLE):
        yield None
        return
    with scratch_database("classroom_pytest") as url:
        yield url


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database for this test alone, dropped after; skipped without a server."""
    try:
        with scratch_database("classroom_test") as url:
            yield url
    except NoServer as error:  # raised before the yield, so the test has not run
        pytest.skip(str(error))


@pytest.fixture
def database_url(suite_postgres, tmp_path) -> str:
    """An empty database for this test: a new SQLite file, or an emptied PostgreSQL schema."""
    if suite_postgres is None:
        return f"sqlite:///{tmp_path / 'test.db'}"
    with connect(suite_postgres) as conn:
        # Fail loudly instead of hanging if an earlier test left a transaction open.
        conn.execute("SET lock_timeout = '10s'")
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return suite_postgres


@pytest.fixture
def settings(database_url, spa_dist, tmp_path):
    """The settings `app` is built with; a test may change them before asking for `app`."""
    return {
        # Never the real backend/instance/teacher-password (`flask reset-demo` deletes it).
        "TEACHER_PASSWORD_FILE": tmp_path / "teacher-password",
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
def make_app(settings) -> Iterator[Callable[..., Flask]]:
    """make_app(**changes) -> a new app on `settings` plus the changes: every test's apps.

    schema="models" (the default) makes the tables from the models, "migrations" runs
    `flask db upgrade`, None makes none (an app that needs no tables, or a second app on a
    database another one built). After the test each app closes its database connections: left
    to the garbage collector, an open PostgreSQL connection is a ResourceWarning, an error here.
    """
    made: list[Flask] = []

    def make(schema: str | None = "models", **changes: Any) -> Flask:
        app = create_app({**settings, **changes})
        made.append(app)
        with app.app_context():
            if schema == "models":
                db.create_all()
            elif schema == "migrations":
                upgrade()
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """A fresh app with an empty database (schema from the models)."""
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs the app's `flask` commands (seed-demo, create-user...) as a terminal would."""
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    """The test's browser, on `client`: auth.signup(...), auth.login(...) give the responses."""
    return Browser(client)


@pytest.fixture
def logged_in(app, auth):
    """A factory: logged_in("alice") signs alice up if needed and logs her in, in a new browser."""

    def log_in(username="alice", password=PASSWORD):
        auth.signup(username, password)
        browser = Browser(app.test_client())
        response = browser.login(username, password)
        assert response.status_code == 200, response.get_json()
        return browser

    return log_in


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
