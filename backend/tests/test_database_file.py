"""The SQLite file holds every password hash: only its owner may read it, like the key file."""

import os
import stat
from collections.abc import Iterator

import pytest


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most systems start with (files world-readable unless asked otherwise)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_and_its_wal_files_are_private(make_app, tmp_path, usual_umask):
    path = tmp_path / "classroom.db"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    client = app.test_client()
    body = {"username": "alice", "password": "correct horse"}
    assert client.post("/api/signup", json=body).status_code == 201
    assert client.post("/api/token", json=body).status_code == 200

    files = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("classroom.db"))
    assert files == ["classroom.db", "classroom.db-shm", "classroom.db-wal"]
    assert {name: mode(tmp_path / name) for name in files} == dict.fromkeys(files, 0o600)


def test_an_existing_readable_database_is_made_private_at_start(make_app, tmp_path, usual_umask):
    path = tmp_path / "classroom.db"
    path.touch(mode=0o644)
    assert mode(path) == 0o644

    make_app(schema=None, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")

    assert mode(path) == 0o600
