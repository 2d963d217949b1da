"""Scratch PostgreSQL databases for the test suites: made for a run or a test, dropped after.

One variable names the server, for every suite: TEST_DATABASE_URL, a SQLAlchemy URL such as
postgresql+psycopg://postgres@127.0.0.1:5432/test (what .ci/run uses). Its database is only
used to connect: each scratch database is made beside it under a new name, and dropped even with
connections still open to it, so its own tables are never touched. Unset, the server is this
machine's (user postgres, trust authentication), as on the dev container and on CI.

backend/tests also runs its whole suite on that server when the variable is set (conftest.py);
deploy/tests (make test-scale) always needs it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

SERVER_VARIABLE = "TEST_DATABASE_URL"
LOCAL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class NoServer(RuntimeError):
    """No PostgreSQL server answered; the message says where, and what the driver said."""


def server_url() -> str:
    """The server to make scratch databases on: TEST_DATABASE_URL, else this machine's."""
    return os.environ.get(SERVER_VARIABLE) or LOCAL_SERVER


def connect(url: str) -> psycopg.Connection:
    """A plain psycopg connection (autocommit) to the database a SQLAlchemy URL names."""
    u = make_url(url)
    return psycopg.connect(
        host=u.host,
        port=u.port,
        user=u.username,
        password=u.password,
        dbname=u.database,
        autocommit=True,
        connect_timeout=5,
    )


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """A new, empty database `<prefix>_<random>` on the server; yields its SQLAlchemy URL.

    Raises NoServer before yielding when the server does not answer. Dropped on the way out
    (WITH (FORCE) ends any connection still open to it, e.g. a server the test started).
    """
    server = server_url()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        admin = connect(server)
    except psycopg.OperationalError as error:
        where = make_url(server).render_as_string()  # the password, if any, shown as ***
        raise NoServer(f"no PostgreSQL server at {where}: {error}") from error
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with connect(server) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
