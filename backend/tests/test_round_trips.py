"""What PostgreSQL sees of protected requests: one round trip each, on connections kept open.

The app talks to PostgreSQL through a proxy (tools/pg_proxy.py) that counts the round trips
the server is asked for and the connections the app opens, so these tests count what reaches
the server, whatever the app believes it sends. Each test gets a PostgreSQL database of its
own; without a server they are skipped (conftest.py, `postgres_database`).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from helpers import PASSWORD
from sqlalchemy.engine import make_url

from tools.pg_proxy import PostgresProxy
from tools.scratch_database import connect

THREADS = 8  # request threads per process (WEB_THREADS), as in production


@pytest.fixture
def proxy(postgres_database):
    """A counting proxy in front of the test's database server."""
    url = make_url(postgres_database)
    proxy = PostgresProxy((url.host or "127.0.0.1", url.port or 5432))
    yield proxy
    proxy.close()


@pytest.fixture
def proxied_app(postgres_database, proxy, make_app):
    """An app whose every connection to PostgreSQL goes through the proxy."""
    url = make_url(postgres_database).set(host="127.0.0.1", port=proxy.port)
    return make_app(
        SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False),
        WEB_THREADS=THREADS,
    )


def log_in(app, username: str = "alice") -> dict[str, str]:
    """Sign up and log in through the API; the Authorization header for that user."""
    client = app.test_client()
    client.post("/api/signup", json={"username": username, "password": PASSWORD})
    response = client.post("/api/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def test_a_protected_request_is_one_round_trip(proxied_app, proxy):
    headers = log_in(proxied_app)
    client = proxied_app.test_client()
    assert client.get("/api/protected", headers=headers).status_code == 200
    proxy.reset()

    for _ in range(3):
        response = client.get("/api/protected", headers=headers)
        assert response.get_json()["username"] == "alice"

    # One SELECT each (revocation, session and user together), and nothing around it: no test
    # query when the connection leaves the pool, no BEGIN before, no ROLLBACK after.
    assert len(proxy.round_trips) == 3, proxy.round_trips
    assert all(sql.startswith("SELECT") for sql in proxy.round_trips), proxy.round_trips
    assert proxy.opened == 0  # on a connection the pool already had


def test_busy_threads_keep_their_connections_open(postgres_database, make_app):
    # Each answer from PostgreSQL takes 20 ms here, so requests on eight threads overlap and
    # every thread holds a connection at the same time, as under load in production.
    url = make_url(postgres_database)
    slow = PostgresProxy((url.host or "127.0.0.1", url.port or 5432), delay=0.02)
    try:
        app = make_app(
            SQLALCHEMY_DATABASE_URI=url.set(host="127.0.0.1", port=slow.port).render_as_string(
                hide_password=False
            ),
            WEB_THREADS=THREADS,
        )
        headers = log_in(app)
        start = threading.Barrier(THREADS)

        def requests(_thread: int) -> list[int]:
            client = app.test_client()
            start.wait(timeout=30)
            return [client.get("/api/protected", headers=headers).status_code for _ in range(10)]

        slow.reset()
        with ThreadPoolExecutor(THREADS) as pool:
            statuses = [
                status for thread in pool.map(requests, range(THREADS)) for status in thread
            ]

        assert statuses == [200] * THREADS * 10
        # The pool has a connection for every thread: it opens one per thread at most (fewer when
        # requests did not all overlap), and closes none while the threads keep working.
        assert slow.opened <= THREADS
        assert slow.closed == 0
    finally:
        slow.close()


def test_connections_the_database_dropped_cost_no_error(postgres_database, make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=postgres_database, WEB_THREADS=THREADS)
    headers = log_in(app)
    with ThreadPoolExecutor(4) as pool:  # a few connections in the pool, all of them to drop
        statuses = list(
            pool.map(
                lambda _: app.test_client().get("/api/protected", headers=headers).status_code,
                range(20),
            )
        )
    assert statuses == [200] * 20

    # A database restart, a failover or an idle timeout: the server ends every connection.
    with connect(postgres_database) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert ended >= 1

    response = app.test_client().get("/api/protected", headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["username"] == "alice"
    # The pool was renewed as a whole, not one dead connection per request.
    for _ in range(5):
        assert app.test_client().get("/api/protected", headers=headers).status_code == 200
    assert app.test_client().get("/api/health").status_code == 200
    login = app.test_client().post("/api/token", json={"username": "alice", "password": PASSWORD})
    assert login.status_code == 200
