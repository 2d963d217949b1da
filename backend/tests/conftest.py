"""Shared fixtures: a fresh app and database per test, a client, and an `auth` helper."""

from __future__ import annotations

import pytest
from helpers import PASSWORD, Browser

from app import create_app
from app.extensions import db

# 64+ bytes, so tests may also sign HS512 tokens with it without PyJWT's short-key warning.
TEST_SECRET = "test-only-key-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.fixture
def spa_dist(tmp_path):
    """A stand-in for frontend/dist: index.html and one hashed asset."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>JWT Classroom</title>")
    (dist / "assets" / "index-abc123.js").write_text("console.log('hi')")
    return dist


@pytest.fixture
def settings(tmp_path, spa_dist):
    """The settings `app` is built with; a test may change them before asking for `app`."""
    return {
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
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
