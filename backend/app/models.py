"""Database models (SQLAlchemy 2 style: `Mapped[...]` and `mapped_column`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.passwords import check_password, hash_password, needs_rehash


def _utcnow() -> datetime:
    return datetime.now(UTC)


class User(db.Model):
    """Someone who can log in. The username is stored normalised (see `schemas.py`)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # unique + index: lookups by username are fast, and the database itself refuses duplicates.
    username: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    # The lesson kept a `password` column in plain text; we keep only the argon2id hash.
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)

    @property
    def password(self) -> str:
        """Write-only: the plain password is never kept, so there is nothing to read."""
        raise AttributeError("password is write-only; use verify_password()")

    @password.setter
    def password(self, plain: str) -> None:
        self.password_hash = hash_password(plain)

    def verify_password(self, plain: str) -> bool:
        """Check a password; on success, upgrade the hash if the parameters have grown since.

        The caller commits, so an upgraded hash is saved with the rest of the request's work.
        """
        if not check_password(self.password_hash, plain):
            return False
        if needs_rehash(self.password_hash):
            self.password = plain
        return True

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r}>"
