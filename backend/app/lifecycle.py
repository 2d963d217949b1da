"""The token lifecycle: log in, refresh, log out, prune. The views in routes/auth.py call these.

The lesson made one token at login and stopped there ("the front-end will use that token from now
on"). Here a login starts a *session* (a row in auth_sessions) and gets two tokens:

- a short-lived access token (ACCESS_TOKEN_TTL, 15 min), sent as `Authorization: Bearer`;
- a long-lived refresh token (REFRESH_TOKEN_TTL, 7 days), kept in an HttpOnly cookie, which can
  only buy a new access token at POST /api/token/refresh.

Both carry the session id in a `sid` claim. Every refresh *rotates* the refresh token: the old one
is marked used and a new one is issued. Revoking the session rejects all of its tokens.

    login ──> session S ──> access A1 + refresh R1
    refresh(R1) ──> R1 used ──> access A2 + refresh R2
    refresh(R1) again ──> reuse! (a copy, or a lost answer) ──> S revoked: A1, A2, R2 all die
    logout(A2) ──> A2's jti revoked + S revoked ──> R2 dies too
"""

from __future__ import annotations

import math
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Response, current_app
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    decode_token,
    set_refresh_cookies,
)
from sqlalchemy.dialects import postgresql, sqlite

from app.auth import TokenUser
from app.extensions import db
from app.models import REVOKED, AuthSession, RefreshToken, RevokedToken, User, utcnow

# Opportunistic pruning runs at most this often per process (at login), so the tables stay small
# even if nobody runs `flask prune-tokens`.
PRUNE_EVERY = timedelta(minutes=10)


@dataclass
class IssuedTokens:
    """What a login, a refresh or a password change hands out."""

    access: str
    refresh: str
    refresh_expires_at: datetime


def _expiry(claims: dict) -> datetime:
    return datetime.fromtimestamp(claims["exp"], UTC)


def issue_tokens(user: User | TokenUser, session: AuthSession, *, fresh: bool) -> IssuedTokens:
    """Make an access token and a refresh token for `session`, and register the refresh token.

    `fresh` says the user typed their password for this token (a login, a password change), not
    a refresh: flask-jwt-extended's `@jwt_required(fresh=True)` is how a route would ask for it.
    Only registered refresh tokens are accepted at /api/token/refresh. The caller commits.
    """
    claims = {"sid": session.id}
    access = create_access_token(identity=user, additional_claims=claims, fresh=fresh)
    # For the teacher's view (routes/classroom.py): when this access token stops working, and
    # when the session last traded its refresh token.
    session.access_expires_at = _expiry(decode_token(access))
    if not fresh:
        session.refreshed_at = utcnow()
    refresh = create_refresh_token(identity=user, additional_claims=claims)
    # decode_token reads back the jti and exp the library chose (it checks nothing we doubt).
    refresh_claims = decode_token(refresh)
    expires_at = _expiry(refresh_claims)
    db.session.add(
        RefreshToken(jti=refresh_claims["jti"], session_id=session.id, expires_at=expires_at)
    )
    # The session lives as long as its newest refresh token: each refresh extends it.
    session.expires_at = expires_at
    return IssuedTokens(access, refresh, expires_at)


def start_session(user: User) -> IssuedTokens:
    """Log in: a new session with its first pair of tokens. The caller commits."""
    session = AuthSession(
        id=str(uuid.uuid4()),
        user_id=user.id,
        expires_at=utcnow() + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"],
    )
    db.session.add(session)
    return issue_tokens(user, session, fresh=True)


def lock_session(session_id: str) -> AuthSession | None:
    """Load a session and lock its row until the commit (SELECT ... FOR UPDATE).

    A refresh and a password change both retire the session's refresh token and issue the next
    one. At the same moment on PostgreSQL, each would miss the token the other is issuing and
    the session would fork into two live refresh tokens; with the lock, the second waits for
    the first and then sees its work. SQLite has no row locks and needs none: one writer at a
    time.
    """
    return db.session.execute(
        db.select(AuthSession)
        .where(AuthSession.id == session_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def use_refresh_token(jti: str, session_id: str) -> bool:
    """Mark a refresh token used, if it is registered in `session_id` and unused. True if it was.

    One UPDATE ... WHERE used_at IS NULL: of two requests racing with the same token, exactly one
    wins (reading first and writing second would let both through and fork the session).
    """
    result = db.session.execute(
        db.update(RefreshToken)
        .where(
            RefreshToken.jti == jti,
            RefreshToken.session_id == session_id,
            RefreshToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return result.rowcount == 1


def was_used_before(jti: str, session_id: str) -> bool:
    """True if this refresh token is ours and was already used: a copy is being replayed."""
    token = db.session.get(RefreshToken, jti)
    return token is not None and token.session_id == session_id and token.used_at is not None


def revoke_session(session_id: str, reason: str) -> None:
    """Revoke a session: its access and refresh tokens are all rejected from now on.

    `reason` (one of models.ENDED_BY) is what the classroom view shows; a session that was
    already revoked keeps its first reason.
    """
    db.session.execute(
        db.update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), ended_reason=reason)
    )


def revoke_other_sessions(user_id: int, keep_session_id: str) -> int:
    """Revoke every live session of a user but one; return how many were revoked."""
    result = db.session.execute(
        db.update(AuthSession)
        .where(
            AuthSession.user_id == user_id,
            AuthSession.id != keep_session_id,
            AuthSession.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), ended_reason=REVOKED)
    )
    return result.rowcount


def retire_refresh_tokens(session_id: str) -> None:
    """Mark a session's unused refresh tokens used, before issuing it a new one (a rotation)."""
    db.session.execute(
        db.update(RefreshToken)
        .where(RefreshToken.session_id == session_id, RefreshToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


# INSERT ... ON CONFLICT DO NOTHING, in the two databases the app is tested on.
_INSERT_OR_IGNORE = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def revoke_access_token(claims: dict) -> None:
    """Put one access token on the blocklist (by its jti) until it expires anyway.

    Idempotent even under concurrency: two logouts sent at once with the same token both try to
    insert its jti. "Is it there? If not, add it" would let both pass the check and the second
    insert fail on the unique key (a 500); ON CONFLICT DO NOTHING lets the database decide.
    """
    row = {"jti": claims["jti"], "expires_at": _expiry(claims)}
    insert = _INSERT_OR_IGNORE.get(db.session.get_bind().dialect.name)
    if insert is not None:
        db.session.execute(insert(RevokedToken).values(row).on_conflict_do_nothing())
    elif db.session.get(RevokedToken, row["jti"]) is None:  # other databases: check, then add
        db.session.add(RevokedToken(**row))


def set_refresh_cookie(response: Response, tokens: IssuedTokens) -> None:
    """Put the refresh token (HttpOnly) and its CSRF value (readable) in cookies.

    The cookies last exactly as long as the refresh token: a dead token is not worth sending.
    """
    max_age = max(1, math.ceil((tokens.refresh_expires_at - utcnow()).total_seconds()))
    set_refresh_cookies(response, tokens.refresh, max_age=max_age)


# --- Pruning -----------------------------------------------------------------------------------


def prune_expired(now: datetime | None = None) -> dict[str, int]:
    """Delete rows that can no longer matter; return how many of each were deleted.

    An expired token is rejected for its `exp` alone, so remembering it is useless. A session
    expires with its newest refresh token; a revoked session is kept until then, so that a late
    replay of its tokens still gets "revoked" rather than a vaguer answer.
    """
    now = now or utcnow()
    expired_sessions = db.select(AuthSession.id).where(AuthSession.expires_at <= now)
    counts = {
        # Tokens of expired sessions first: SQLite enforces ON DELETE CASCADE only when asked to.
        "refresh_tokens": db.session.execute(
            db.delete(RefreshToken).where(
                (RefreshToken.expires_at <= now) | RefreshToken.session_id.in_(expired_sessions)
            )
        ).rowcount,
        "revoked_tokens": db.session.execute(
            db.delete(RevokedToken).where(RevokedToken.expires_at <= now)
        ).rowcount,
        "sessions": db.session.execute(
            db.delete(AuthSession).where(AuthSession.expires_at <= now)
        ).rowcount,
    }
    db.session.commit()
    return counts


_prune_lock = threading.Lock()


def maybe_prune() -> dict[str, int] | None:
    """Prune if this process has not done it in the last PRUNE_EVERY; else do nothing.

    Called at login. The time of the last run is kept per app (one per process in production,
    one per test in the suite). Returns the counts when it pruned, None when it did not.
    """
    now = utcnow()
    extensions = current_app.extensions
    with _prune_lock:
        last = extensions.get("token-pruning")
        if last is not None and now - last < PRUNE_EVERY:
            return None
        extensions["token-pruning"] = now
    return prune_expired(now)
