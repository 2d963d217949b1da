"""The Alembic migrations build the same schema as the models."""

import sqlite3
from contextlib import closing

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from helpers import upgrade
from sqlalchemy import text

from app.extensions import db
from app.models import User

# The revision before user ids were made never to be reused (sqlite_autoincrement).
BEFORE_IDS_NEVER_REUSED = "b42081d86b67"


@pytest.fixture
def migrated_app(make_app):
    """An app whose empty database was built by `flask db upgrade`, not by create_all().

    The database is the suite's: a fresh SQLite file, or PostgreSQL with TEST_DATABASE_URL.
    """
    return make_app(schema="migrations")


def test_upgrade_on_a_fresh_database_gives_a_working_app(migrated_app):
    client = migrated_app.test_client()
    assert (
        client.post(
            "/api/signup", json={"username": "alice", "password": "correct horse"}
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/signup", json={"username": "ALICE", "password": "correct horse"}
        ).status_code
        == 409
    )  # the unique index exists
    assert client.get("/api/health").status_code == 200


def test_the_migrations_match_the_models(migrated_app):
    """A model change without a migration would show up here as a difference."""
    with migrated_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, db.metadata) == []


def test_upgrade_is_safe_to_run_twice(migrated_app):
    with migrated_app.app_context():
        upgrade()
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_a_migrated_database_never_reuses_a_deleted_users_id(migrated_app):
    client = migrated_app.test_client()
    body = {"username": "alice", "password": "correct horse"}
    alice_id = client.post("/api/signup", json=body).get_json()["id"]
    with migrated_app.app_context():
        db.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": alice_id})
        db.session.commit()

    response = client.post("/api/signup", json={**body, "username": "bob"})

    assert response.status_code == 201
    assert response.get_json()["id"] != alice_id


def test_the_upgrade_keeps_accounts_and_sessions_and_drops_orphans(make_app):
    """Upgrading a database with users, sessions and refresh tokens loses none of them (the
    users table is rebuilt on SQLite), except sessions whose user was deleted outside the app:
    those would pass to the next account given that id."""
    app = make_app(schema=None)
    with app.app_context():
        upgrade(revision=BEFORE_IDS_NEVER_REUSED)
        for statement in [
            "INSERT INTO users (id, username, password_hash, created_at) VALUES "
            "(1, 'alice', 'h', CURRENT_TIMESTAMP), (2, 'bob', 'h', CURRENT_TIMESTAMP)",
            "INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES "
            "('s-alice', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
            "('s-bob', 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            "INSERT INTO refresh_tokens (jti, session_id, expires_at) VALUES "
            "('r-alice', 's-alice', CURRENT_TIMESTAMP), ('r-bob', 's-bob', CURRENT_TIMESTAMP)",
        ]:
            db.session.execute(text(statement))
        db.session.commit()
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        # What an older version left behind: foreign keys were not enforced, so deleting a user
        # from the sqlite3 shell kept their session (PostgreSQL never allowed this).
        with closing(sqlite3.connect(url.database)) as connection, connection:
            connection.execute(
                "INSERT INTO auth_sessions (id, user_id, created_at, expires_at) VALUES "
                "('s-gone', 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
            connection.execute(
                "INSERT INTO refresh_tokens (jti, session_id, expires_at) VALUES "
                "('r-gone', 's-gone', CURRENT_TIMESTAMP)"
            )

    with app.app_context():
        upgrade()

        def column(sql):
            return sorted(db.session.scalars(text(sql)))

        assert column("SELECT username FROM users") == ["alice", "bob"]
        assert column("SELECT id FROM auth_sessions") == ["s-alice", "s-bob"]
        assert column("SELECT jti FROM refresh_tokens") == ["r-alice", "r-bob"]
