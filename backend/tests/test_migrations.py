"""The Alembic migrations build the same schema as the models."""

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from app.extensions import db
from app.models import User


@pytest.fixture
def migrated_app(settings):
    """An app whose empty database was built by `flask db upgrade`, not by create_all().

    The database is the suite's: a fresh SQLite file, or PostgreSQL with TEST_DATABASE_URL.
    """
    app = create_app(settings)
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


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
        flask_migrate.upgrade()
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
