"""Database models (SQLAlchemy 2 style: `Mapped[...]` and `mapped_column`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.passwords import check_password, hash_password, needs_rehash

# Who a user is in the classroom. Put in every token as the `role` claim (jwt_callbacks.role_claim),
# and checked by the teacher-only routes (routes/classroom.py).
STUDENT = "student"
TEACHER = "teacher"
ROLES = (STUDENT, TEACHER)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC (the only time zone the database sees)."""
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite gives them back without a time zone)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class User(db.Model):
    """Someone who can log in. The username is stored normalised (see `schemas.py`)."""

    __tablename__ = "users"
    # SQLite reuses the highest id after a delete unless told AUTOINCREMENT: a new account would
    # then inherit the tokens of a user deleted outside the app. PostgreSQL never reuses ids.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    # unique + index: lookups by username are fast, and the database itself refuses duplicates.
    username: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    # The lesson kept a `password` column in plain text; we keep only the argon2id hash.
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # "student" or "teacher" (ROLES). A token keeps the role it was made with, so `flask set-role`
    # also ends the user's sessions: the new role comes with their next login.
    role: Mapped[str] = mapped_column(String(16), default=STUDENT, server_default=STUDENT)

    # Deleting a user deletes their sessions (and, through them, their refresh tokens).
    sessions: Mapped[list[AuthSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

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

    @classmethod
    def register(cls, username: str, password: str, role: str = STUDENT) -> User | None:
        """Create and commit an account; None when the (normalised) username is taken.

        Insert and let the unique index decide: checking first and inserting second would let
        two simultaneous signups for one name both pass the check.
        """
        user = cls(username=username, role=role)
        user.password = password
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return None
        return user

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r}>"


# --- The token lifecycle (see app/lifecycle.py) --------------------------------------------------
# The lesson's token lived until it expired, and the lesson has no logout. To revoke tokens the
# server must remember something; these three tables are that memory.


# Why a session was revoked (AuthSession.ended_reason), as the classroom view shows it: the
# `reason` of lifecycle.revoke_sessions. ClassSessionOut.state (schemas.py) lists them too.
LOGGED_OUT = "logged out"
REVOKED = "revoked"  # a password was set (changed, reset), or a role changed
REFRESH_REUSED = "reuse detected"
ENDED_BY_TEACHER = "ended by teacher"


class AuthSession(db.Model):
    """One login: every token made from it carries its id in the `sid` claim.

    Revoking the session (logout, refresh-token reuse, a new password, a teacher) rejects all of
    its tokens at once, access and refresh, wherever they are.
    """

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"),
        index=True,  # "all sessions of this user"
    )
    # The login: the session ends SESSION_MAX_AGE after it, however often it is refreshed.
    # Indexed: the classroom view lists the sessions started in the last 24 hours.
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    # When its newest refresh token expires (never after the login + SESSION_MAX_AGE).
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # For the teacher's view: the last refresh, when the newest access token expires, and why
    # the session ended (LOGGED_OUT, REVOKED, REFRESH_REUSED or ENDED_BY_TEACHER above; None
    # while it has not been revoked).
    refreshed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    access_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship(back_populates="sessions")
    refresh_tokens: Mapped[list[RefreshToken]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<AuthSession {self.id} user={self.user_id}>"


class RefreshToken(db.Model):
    """A refresh token we issued (by its `jti`), in the session ("family") it belongs to.

    Each refresh token works once: using it sets `used_at` and issues the next one. A token that
    comes back with `used_at` already set was copied, or its first answer was lost on the way:
    the server cannot tell which, so that reuse revokes the family.
    """

    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    session: Mapped[AuthSession] = relationship(back_populates="refresh_tokens")


class RevokedToken(db.Model):
    """An access token revoked before its `exp` (by its `jti`, the token's unique id).

    A JWT cannot be changed once issued, so the server keeps a list of the ones it no longer
    accepts. Only until they expire: after `expires_at` the token is refused anyway, and the row
    can be pruned.
    """

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(36), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


# --- Signing keys (see app/keys.py) --------------------------------------------------------------


class SigningKey(db.Model):
    """A key that signs tokens, named by `kid` (the same value as in every token's header).

    The newest key of the server's algorithm that is not retired signs; the older ones only
    verify, until an operator retires them (`flask retire-key`). Nothing secret is readable here:
    an asymmetric private key is stored encrypted with a key derived from JWT_SECRET_KEY, and an
    HS256 key is not stored at all (it is derived from JWT_SECRET_KEY and the kid).
    """

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The JWS algorithm: HS256, ES256, RS256 or EdDSA (config.SIGNING_ALGORITHMS).
    alg: Mapped[str] = mapped_column(String(16))
    # The public key as a JWK (RFC 7517), JSON text; None for HS256, which has no public half.
    public_jwk: Mapped[str | None] = mapped_column(Text)
    # The private key (PKCS #8 PEM) encrypted with Fernet; None for HS256.
    private_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<SigningKey {self.kid} {self.alg}>"
