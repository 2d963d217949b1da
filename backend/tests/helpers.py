"""Test helpers shared by several test files (fixtures live in conftest.py)."""

import http.client
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import flask_migrate
import jwt
import psycopg
from sqlalchemy import Engine, event
from werkzeug.serving import make_server

from app import keys

PASSWORD = "correct horse"

# 64+ bytes, so tests may also sign HS512 tokens with it without PyJWT's short-key warning.
# Random after the prefix, so production's key check (a guessing estimate) accepts it too.
TEST_SECRET = "test-only-key-shN3XglylZeO2D1jfona4244oLe6NrvO_vPPMy_oB-qaGv6M8o"

REFRESH_COOKIE = "refresh_token_cookie"
CSRF_COOKIE = "csrf_refresh_token"
REFRESH_PATH = "/api/token/refresh"


class Browser:
    """One browser (its own cookie jar: a Flask test client) using the API the way the SPA does.

    It keeps the access token like localStorage["jwt-token"], and lets the test client keep the
    cookies, so the refresh cookie only goes where its Path allows, as in a real browser. Each
    request returns its response, refusals included. `Browser(app.test_client())` is a new one.
    """

    def __init__(self, client):
        self.client = client
        self.token = None

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def signup(self, username="alice", password=PASSWORD):
        return self.client.post("/api/signup", json={"username": username, "password": password})

    def login(self, username="alice", password=PASSWORD):
        """POST /api/token; a token that comes back is kept, as the SPA keeps it."""
        response = self.client.post("/api/token", json={"username": username, "password": password})
        if response.status_code == 200:
            self.token = response.get_json()["token"]
        return response

    def refresh_cookie(self):
        cookie = self.client.get_cookie(REFRESH_COOKIE, path=REFRESH_PATH)
        return cookie.value if cookie else None

    def csrf_cookie(self):
        cookie = self.client.get_cookie(CSRF_COOKIE)
        return cookie.value if cookie else None

    def use_refresh_cookie(self, value, csrf):
        """Put a (stolen, old, ...) refresh token and its CSRF value in this browser's jar."""
        self.client.set_cookie(REFRESH_COOKIE, value, path=REFRESH_PATH)
        self.client.set_cookie(CSRF_COOKIE, csrf)

    def refresh(self, csrf=True):
        """POST /api/token/refresh; csrf=True echoes the CSRF cookie, a string sends that."""
        headers = {}
        if csrf is True:
            headers["X-CSRF-TOKEN"] = self.csrf_cookie()
        elif csrf:
            headers["X-CSRF-TOKEN"] = csrf
        response = self.client.post(REFRESH_PATH, headers=headers)
        if response.status_code == 200:
            self.token = response.get_json()["token"]
        return response

    def protected(self, token=None):
        token = token or self.token
        return self.client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})

    def logout(self):
        return self.client.post("/api/logout", headers=self.headers)


def upgrade(revision="head"):
    """`flask db upgrade` on the current app's database."""
    flask_migrate.upgrade(revision=revision)


def assert_401(response, msg, kind):
    """A rejection in the API's shape: 401, {"msg", "error"} and a Bearer challenge."""
    assert response.status_code == 401, response.get_json()
    assert response.get_json() == {"msg": msg, "error": kind}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the database driver is given while inside, however it was issued.

    Recorded by the driver itself (SQLite's trace hook, or a recording psycopg cursor), so the
    count includes queries that bypass SQLAlchemy's events, like the revocation check's.
    """
    statements: list[str] = []

    class RecordingCursor(psycopg.Cursor):
        def execute(self, query, params=None, **kwargs):
            statements.append(str(query))
            return super().execute(query, params, **kwargs)

    def start(dbapi_connection, _record, _proxy):
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(statements.append)
        else:
            dbapi_connection.cursor_factory = RecordingCursor

    def stop(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_trace_callback(None)
        else:
            dbapi_connection.cursor_factory = psycopg.Cursor

    event.listen(engine, "checkout", start)
    event.listen(engine, "checkin", stop)
    try:
        yield statements
    finally:
        event.remove(engine, "checkout", start)
        event.remove(engine, "checkin", stop)


@contextmanager
def serving(app) -> Iterator[int]:
    """Serve `app` with werkzeug's threaded server (a thread per request); yield its port."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_port
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


def post_json(port, path, body, headers=None):
    """POST a JSON body over real HTTP; return (status, parsed JSON body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST", path, json.dumps(body), {"Content-Type": "application/json", **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def all_at_once(calls: list[Callable]) -> list:
    """Run the calls in threads released together by a barrier; return their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def current_key(app) -> keys.Key:
    """The app's current signing key (made now if the database has none yet)."""
    with app.app_context():
        return keys.ring().signing_key()


def other_key(app):
    """A key of the app's algorithm that is not the app's: what a forger would sign with."""
    alg = app.config["JWT_ALGORITHM"]
    if alg == "HS256":
        return b"another-key-that-is-at-least-32-bytes-long"
    return keys.new_private_key(alg)


def sign(app, claims, *, key=None, alg=None, headers=None) -> str:
    """A token for `claims` signed as the app signs (its current key, algorithm and kid),
    unless `key`, `alg` or `headers` say otherwise. Claims are taken as given: add `iss` and
    `aud` (token_claims) for a token the app would accept."""
    server = current_key(app)
    headers = {"kid": server.kid, **(headers or {})}
    return jwt.encode(
        claims,
        server.signing if key is None else key,
        algorithm=alg or app.config["JWT_ALGORITHM"],
        headers={name: value for name, value in headers.items() if value is not None},
    )


def token_claims(app) -> dict:
    """The `iss` and `aud` claims the app puts in every token and checks on every request."""
    return {"iss": app.config["JWT_ISSUER"], "aud": app.config["JWT_AUDIENCE"]}


def decode(app, token, **kwargs) -> dict:
    """The claims of a token the app made, checked as any verifier would: the key its kid names,
    the app's one algorithm, its issuer and audience."""
    kid = jwt.get_unverified_header(token)["kid"]
    with app.app_context():
        key = keys.ring().find(kid)
    assert key is not None, f"no key {kid!r}"
    return jwt.decode(
        token,
        key.verifying,
        algorithms=[app.config["JWT_ALGORITHM"]],
        issuer=app.config["JWT_ISSUER"],
        audience=app.config["JWT_AUDIENCE"],
        **kwargs,
    )
