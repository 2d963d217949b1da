"""Many signups at the same moment, against a real multi-threaded server.

The unique index on users.username decides who gets a name; the view turns the loser's
IntegrityError into 409. (Checking "is the name free?" first and inserting second would let two
simultaneous requests both pass the check.) Runs on a SQLite file and on PostgreSQL.
"""

import http.client
import http.cookies
import json
import sqlite3

import pytest
from helpers import all_at_once, post_json, serving
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models import AuthSession, RefreshToken, User


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh database: a SQLite file, or a new PostgreSQL database (skipped without a server)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'concurrent.db'}"
    return request.getfixturevalue("postgres_database")


@pytest.fixture
def live_app(make_app):
    # One address sends every request here; the limits are tested in test_rate_limits.py.
    # The migrations make the real schema, unique index included.
    # werkzeug's test server runs a thread per request: a place in the hashing queue for each
    # of the requests sent at once (PASSWORD_HASH_QUEUE), as a server with that many threads.
    return make_app(
        schema="migrations",
        RATELIMIT_SIGNUP_PER_ADDRESS="1000/minute",
        PASSWORD_HASH_QUEUE=50,
    )


@pytest.fixture
def server(live_app):
    """werkzeug's threaded server (a thread per request) on a free port; yields the port."""
    with serving(live_app) as port:
        yield port


def log_in(port, username="alice"):
    """Sign up (if needed) and log in over HTTP; return the Authorization header."""
    body = {"username": username, "password": "long enough"}
    post_json(port, "/api/signup", body)
    status, body = post_json(port, "/api/token", body)
    assert status == 200, body
    return {"Authorization": f"Bearer {body['token']}"}


def signup_all_at_once(port, usernames):
    """Send one signup per name, all released together; return the (status, body)s in order."""
    body = {"password": "long enough"}
    return all_at_once(
        [
            lambda username=username: post_json(port, "/api/signup", {**body, "username": username})
            for username in usernames
        ]
    )


def usernames_in_database(app):
    with app.app_context():
        return sorted(db.session.scalars(db.select(User.username)))


def test_fifty_different_signups_at_once_all_succeed(live_app, server):
    names = [f"student{i:02d}" for i in range(50)]

    results = signup_all_at_once(server, names)

    assert [status for status, _ in results] == [201] * 50, results
    assert sorted(body["username"] for _, body in results) == names
    assert usernames_in_database(live_app) == names


def test_twenty_signups_of_one_name_give_one_account(live_app, server):
    results = signup_all_at_once(server, ["alice"] * 20)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * 19, results
    assert all(
        body == {"msg": "Username already taken", "error": "username_taken"}
        for status, body in results
        if status == 409
    )
    assert usernames_in_database(live_app) == ["alice"]


def test_ten_logouts_with_one_token_at_once(live_app, server):
    """Every copy of the request is answered: logged out (200) or already revoked (401)."""
    headers = log_in(server)

    results = all_at_once([lambda: post_json(server, "/api/logout", {}, headers)] * 10)

    assert {status for status, _ in results} <= {200, 401}, results
    assert (200, {"msg": "Logged out"}) in results
    assert post_json(server, "/api/logout", {}, headers)[0] == 401


@pytest.mark.parametrize("other", ["Bearer garbage", ""], ids=["garbage", "empty"])
def test_two_authorization_headers_over_real_http(live_app, server, other):
    """A real server joins repeated headers into one; the result is still refused."""
    post_json(server, "/api/signup", {"username": "alice", "password": "long enough"})
    _, body = post_json(server, "/api/token", {"username": "alice", "password": "long enough"})
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    try:
        connection.putrequest("GET", "/api/protected")
        connection.putheader("Authorization", f"Bearer {body['token']}")
        connection.putheader("Authorization", other)
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 401
        assert json.loads(response.read())["msg"].startswith("Missing 'Bearer' type")
    finally:
        connection.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a SQLite setting
def test_a_token_check_does_not_wait_for_a_write_in_progress(app, logged_in, settings):
    """While another connection is in the middle of writing (a login committing its session),
    token checks still answer at once: SQLite runs in WAL mode, where readers never wait for a
    writer. In SQLite's default mode this request would wait for the lock, then fail (a 500)."""
    url = make_url(settings["SQLALCHEMY_DATABASE_URI"])
    alice = logged_in("alice")
    writer = sqlite3.connect(url.database, timeout=0)
    try:
        # EXCLUSIVE is the lock a commit takes; without WAL it shuts every reader out.
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("UPDATE users SET username = username WHERE 0")
        response = alice.protected()  # the writer holds its lock until this has answered
    finally:
        writer.rollback()
        writer.close()
    assert response.status_code == 200


# --- One session, every kind of request at once ------------------------------------------------


def call(port, method, path, body=None, headers=None):
    """One request over HTTP: (status, JSON body, {cookie name: value} it set)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        data = json.dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, data, headers)
        response = connection.getresponse()
        cookies = http.cookies.SimpleCookie()
        for line in response.headers.get_all("Set-Cookie") or []:
            cookies.load(line)
        return (
            response.status,
            json.loads(response.read()),
            {k: v.value for k, v in cookies.items()},
        )
    finally:
        connection.close()


OLD, NEW = "long enough", "a brand new one"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def refresh_with(port, cookies):
    return call(
        port,
        "POST",
        "/api/token/refresh",
        headers={
            "Cookie": f"refresh_token_cookie={cookies['refresh_token_cookie']}",
            "X-CSRF-TOKEN": cookies["csrf_refresh_token"],
        },
    )


# How many of each request race at once: refresh, logout, password change, lab, protected.
MIXES = {
    "everything": (3, 2, 2, 3, 2),
    "without logout": (3, 0, 2, 3, 2),
    "one refresh against one password change": (1, 0, 1, 0, 0),
}


@pytest.mark.parametrize("mix", MIXES)
def test_logout_refresh_password_change_and_lab_at_once_leave_one_state(live_app, server, mix):
    """Everything a client can do with one session, all at the same moment.

    No answer may be a 5xx, and afterwards the login is in ONE state: either revoked, and then
    every token and cookie handed out is refused; or alive in exactly one session (the login's
    own, or the one a password change put in its place) with exactly one usable refresh token
    (never forked into two), and the newest tokens work. The password is the old one or the new
    one, whole. Ten rounds, each with a new user: each round is a different race.
    """
    for round_ in range(10):
        race_on_one_session(live_app, server, f"user{round_}", MIXES[mix])


def race_on_one_session(live_app, port, username, mix):
    refreshes, logouts, changes, labs, checks = mix
    call(port, "POST", "/api/signup", {"username": username, "password": OLD})
    status, body, cookies = call(
        port, "POST", "/api/token", {"username": username, "password": OLD}
    )
    assert status == 200
    access = body["token"]
    change = {"current_password": OLD, "new_password": NEW}

    requests = (
        [lambda: refresh_with(port, cookies)] * refreshes
        + [lambda: call(port, "POST", "/api/logout", {}, bearer(access))] * logouts
        + [lambda: call(port, "POST", "/api/password", change, bearer(access))] * changes
        + [lambda: call(port, "POST", "/api/lab/tokens", {}, bearer(access))] * labs
        + [lambda: call(port, "GET", "/api/protected", None, bearer(access))] * checks
    )
    results = all_at_once(requests)

    assert all(status < 500 for status, _, _ in results), results
    tokens = [access] + [body["token"] for status, body, _ in results if "token" in body]
    jars = [cookies] + [c for _, _, c in results if c.get("refresh_token_cookie")]

    with live_app.app_context():
        live = db.session.scalars(
            db.select(AuthSession.id)
            .join(User)
            .where(User.username == username, AuthSession.revoked_at.is_(None))
        ).all()
        assert len(live) <= 1, f"the login forked into {len(live)} live sessions"
        unused = db.session.scalars(
            db.select(RefreshToken.jti).where(
                RefreshToken.session_id.in_(live), RefreshToken.used_at.is_(None)
            )
        ).all()

    if not live:
        for token in tokens:
            assert call(port, "GET", "/api/protected", None, bearer(token))[0] == 401
        for jar in jars:
            assert refresh_with(port, jar)[0] == 401
    else:
        assert len(unused) == 1, f"the session forked: {len(unused)} usable refresh tokens"
        newest = jars[-1]
        status, body, _ = refresh_with(port, newest)
        assert status == 200, body
        assert call(port, "GET", "/api/protected", None, bearer(body["token"]))[0] == 200
        change_results = results[refreshes + logouts : refreshes + logouts + changes]
        if any(status == 200 for status, _, _ in change_results):
            # The login's own session ended with the change: its first token with it.
            assert call(port, "GET", "/api/protected", None, bearer(access))[0] == 401

    logins = [
        call(port, "POST", "/api/token", {"username": username, "password": pw})[0]
        for pw in (OLD, NEW)
    ]
    assert sorted(logins) == [200, 401]
