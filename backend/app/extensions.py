"""Flask extensions, created once here and bound to the app in `create_app` with `init_app`.

Creating them at import time (without an app) lets any module import `db` or `jwt`, while each
app made by the factory (one per test, for example) still gets its own configuration.
"""

import os
from pathlib import Path
from typing import Any

from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Base class of every model (SQLAlchemy 2 typed declarative style)."""

    # Named constraints, so Alembic can alter them later (SQLite batch mode needs the names).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
# The lesson's JWTManager(app), flask-jwt-extended's own; bound to the app in create_app.
jwt = JWTManager()
cors = CORS()
# render_as_batch: SQLite cannot ALTER most things, so Alembic copies the table instead.
# The migrations folder next to the app package, so `flask db ...` works from any directory.
migrate = Migrate(
    directory=str(Path(__file__).resolve().parents[1] / "migrations"), render_as_batch=True
)


def prepare_sqlite(engine: Engine) -> None:
    """Set up a SQLite database the way this app needs it; other databases are left alone.

    - The file is private (0600), like the key file: it holds every password hash. SQLite gives
      its -wal, -shm and -journal files the database file's permissions.
    - Every connection enforces foreign keys, which SQLite leaves off unless asked on each
      connection: deleting a user then deletes their sessions, as `ondelete="CASCADE"` says.
    - Write-ahead logging (WAL): in SQLite's default mode a write locks the whole file while it
      commits, so every token check in every process waits for each login to finish writing.
      With WAL, readers never wait for a writer.
    """
    if engine.dialect.name != "sqlite":
        return
    make_private(engine.url.database)
    event.listen(engine, "connect", _on_sqlite_connect)


def make_private(database: str | None) -> None:
    """Create the SQLite file `database` readable by its owner only, or tighten an existing one.

    Done before SQLite first opens it, since SQLite creates files with the process's umask
    (usually world-readable). In-memory databases and `file:` URIs are left alone.
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return  # SQLite itself will say it cannot open the file
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    # A file that exists already keeps its mode when opened: tighten it.
    for file in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        if file.exists():
            file.chmod(0o600)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy's recipe for SQLite foreign keys: a PRAGMA on each new connection, outside
    # any transaction. The journal mode is stored in the file; asking again costs little and
    # converts a database file still in another mode (a copy, one made by another tool).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
