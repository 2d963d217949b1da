"""The token lifecycle: who a token is for, and how tokens are issued, rotated, revoked, pruned.

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
    password change in S ──> every session revoked, S included ──> S' (same login time) carries on

Rotation catches a copied refresh token once both copies are used; it cannot catch a thief who
refreshes while the real client stays away. So a session also has an absolute lifetime
(SESSION_MAX_AGE, 30 days from the login): no token of it, however often refreshed, reaches past
that, and then the user logs in again.

Setting a password, whichever way (`set_password`: a change, `make room`'s teacher, the CLI),
ends every session of that user: whoever knew the old password may hold tokens.

The views in routes/auth.py call `start_session`, `rotate`, `log_out` and `change_password`:
each is a whole step of the lifecycle and commits its own work. `token_state` is what
jwt_callbacks.py asks on every `@jwt_required()` request. Every way a session ends (logging out,
a reused refresh token, a new password or role, a teacher) goes through `revoke_sessions`.
"""

from __future__ import annotations

import math
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response, current_app, g
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    decode_token,
    set_refresh_cookies,
    unset_refresh_cookies,
)
from sqlalchemy import ColumnElement, Row, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.errors import ErrorKind
from app.extensions import db
from app.models import (
    ENDED_BY_TEACHER,
    LOGGED_OUT,
    REFRESH_REUSED,
    REVOKED,
    AuthSession,
    RefreshToken,
    RevokedToken,
    User,
    as_utc,
    utcnow,
)

REUSE_DETECTED = "Refresh token reuse detected; the session has been revoked"
SESSION_OVER = "Your session is over: please log in again"
UNREGISTERED = "Unknown refresh token"
TOKEN_REVOKED = "Token has been revoked"  # noqa: S105 (a message, not a password)
ENDED_BY_TEACHER_MSG = "Your session was ended by the teacher"


class Refused(Exception):
    """A refresh or a password change that cannot go on: the 401's `msg` and `kind`."""

    def __init__(self, msg: str, kind: ErrorKind) -> None:
        super().__init__(msg)
        self.msg = msg
        self.kind = kind


def refusal_for_revoked(ended_reason: str | None) -> Refused:
    """The 401 for a token of a revoked session, by why the session ended (its `ended_reason`;
    None for a token on the blocklist alone, the lab's specimen, or a session that is gone).

    A teacher's ending has a message of its own (session_ended); a session revoked because its
    refresh token was used twice is refresh_reused; logging out and a new password or role are
    token_revoked.
    """
    if ended_reason == ENDED_BY_TEACHER:
        return Refused(ENDED_BY_TEACHER_MSG, ErrorKind.SESSION_ENDED)
    if ended_reason == REFRESH_REUSED:
        return Refused(TOKEN_REVOKED, ErrorKind.REFRESH_REUSED)
    return Refused(TOKEN_REVOKED, ErrorKind.TOKEN_REVOKED)


# --- Who a token is for, and whether it may still be used -----------------------------------------

# The ids our database can hold: 1 to 2**31 - 1 (users.id is a 32-bit INTEGER on PostgreSQL).
# Anything else in `sub` cannot be one of our users, and asking the database about it would
# fail ("integer out of range": a 500) instead of simply finding no one.
USER_ID_PATTERN = re.compile(r"[1-9][0-9]{0,9}")
MAX_USER_ID = 2**31 - 1


def user_id_from_sub(sub: object) -> int | None:
    """The user id in a token's `sub`, or None if it cannot be one of our users."""
    if not isinstance(sub, str) or not USER_ID_PATTERN.fullmatch(sub) or int(sub) > MAX_USER_ID:
        return None
    return int(sub)


@dataclass(frozen=True, slots=True)
class TokenUser:
    """Who an accepted token is for: `current_user` in every @jwt_required() view.

    Read by the revocation check's query, so knowing who is calling costs no second query. It is
    read-only on purpose: a view that changes the account loads the `User` row it changes.
    """

    id: int
    username: str
    role: str


@dataclass(frozen=True, slots=True)
class TokenState:
    """What the database says about one decoded token."""

    user: TokenUser | None  # None: no such user (deleted, or a `sub` that cannot be an id)
    revoked: bool  # its jti or its session was revoked, or the session is gone
    # Why its session was revoked (AuthSession.ended_reason), None if the session was not.
    ended_reason: str | None


# The one query of the revocation check, on primary keys only: the user, their session `sid`
# (outer join: it may be gone) and whether the token's jti is on the blocklist. Written with
# SQLAlchemy like every other query; only the three values change from one request to the next.
TOKEN_STATE = (
    db.select(
        User.id,
        User.username,
        User.role,
        AuthSession.id.label("session_id"),
        AuthSession.revoked_at.is_not(None).label("session_revoked"),
        AuthSession.ended_reason,
        db.select(RevokedToken.jti)
        .where(RevokedToken.jti == bindparam("jti"))
        .exists()
        .label("jti_revoked"),
    )
    .outerjoin(
        AuthSession,
        (AuthSession.id == bindparam("sid")) & (AuthSession.user_id == User.id),
    )
    .where(User.id == bindparam("user_id"))
)


def read_token_state(user_id: int, sid: str | None, jti: str | None) -> Row | None:
    """TOKEN_STATE's one row (a named tuple, in its column order), or None if no such user.

    Every protected request asks this, so it costs a database server one round trip and no more:
    - the connection is in AUTOCOMMIT mode for it: one SELECT changes nothing and needs no
      transaction, so no BEGIN goes before it and no ROLLBACK after it, when the connection
      goes back to the pool;
    - no test query as the connection leaves the pool (config.py). If the database dropped it
      (a restart, a failover, an idle timeout), the SELECT fails, SQLAlchemy sees a disconnect
      (`connection_invalidated`) and replaces every connection in the pool, and this read,
      which changes nothing, is asked once more, on a new connection.
    """
    values = {"user_id": user_id, "sid": sid, "jti": jti}
    try:
        return _select_token_state(values)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        return _select_token_state(values)


def _select_token_state(values: dict[str, Any]) -> Row | None:
    with db.engine.connect() as connection:
        # SQLite's driver starts no transaction for a SELECT, and setting its isolation level
        # back afterwards would be a statement of its own: there it stays as it is.
        if connection.dialect.name != "sqlite":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection.execute(TOKEN_STATE, values).first()


def token_state(claims: dict) -> TokenState:
    """Ask the database about a decoded token, once per request.

    flask-jwt-extended asks twice about the same token: is it revoked (`token_is_revoked`), and
    who is it for (`load_user`). Both callbacks get the same decoded `claims` dict, so the answer
    is kept in `flask.g` next to it: whichever callback asks first runs the query.
    """
    kept = g.get("token_state")
    if kept is not None and kept[0] is claims:
        return kept[1]
    state = _ask_database(claims)
    g.token_state = (claims, state)
    return state


def _ask_database(claims: dict) -> TokenState:
    user_id = user_id_from_sub(claims.get("sub"))
    sid, jti = claims.get("sid"), claims.get("jti")
    sid = sid if isinstance(sid, str) else None
    jti = jti if isinstance(jti, str) else None
    row = None if user_id is None else read_token_state(user_id, sid, jti)
    if row is None:
        return TokenState(user=None, revoked=False, ended_reason=None)
    user_id, username, role, session_id, session_revoked, ended_reason, jti_revoked = row
    # A token without `sid` or `jti` could never be revoked, so it is refused (we issue none).
    revoked = (
        session_id is None
        or bool(session_revoked)  # SQLite answers 0 or 1, PostgreSQL False or True
        or bool(jti_revoked)
        or jti is None
    )
    return TokenState(
        user=TokenUser(user_id, username, role),
        revoked=revoked,
        ended_reason=ended_reason if session_revoked else None,
    )


# --- The four steps: log in, refresh, log out, change the password ------------------------------


@dataclass
class IssuedTokens:
    """What a login, a refresh or a password change hands out."""

    access: str
    refresh: str
    refresh_expires_at: datetime
    expires_in: int  # seconds the access token lasts: less than ACCESS_TOKEN_TTL near the end


def start_session(user: User) -> IssuedTokens:
    """Start a session for a user whose password was just checked, with its first tokens."""
    session = new_session(user, started_at=utcnow())
    # identity=user: jwt_callbacks.user_identity puts str(user.id) in the tokens' `sub` claim.
    tokens = issue_tokens(user, session, fresh=True)
    db.session.commit()  # the session, its refresh token, and the hash if it was upgraded
    prune_now_and_then()
    return tokens


def rotate(claims: dict, user: TokenUser) -> IssuedTokens:
    """Trade a refresh token (its decoded `claims`) for the next pair; raise Refused if not.

    flask-jwt-extended has checked its signature, expiry and CSRF value, and `token_state` its
    session. A token used before comes from a copy (an attacker's, perhaps) or from a client that
    never received the answer to its first refresh; the server cannot tell which, so the whole
    session is revoked and the user logs in again.
    """
    sid, jti = claims["sid"], claims["jti"]
    session = lock_session(sid)  # one rotation of this session at a time
    if not use_refresh_token(jti, sid):
        if was_used_before(jti, sid):
            revoke_sessions(AuthSession.id == sid, reason=REFRESH_REUSED)
            db.session.commit()
            raise Refused(REUSE_DETECTED, ErrorKind.REFRESH_REUSED)
        db.session.rollback()
        # Never issued by a login (the lab's specimen).
        raise Refused(UNREGISTERED, ErrorKind.TOKEN_INVALID)
    # Read again now that this transaction writes: SQLite has no row locks, and a password
    # change that ended the session meanwhile is seen from here on (on PostgreSQL, the lock
    # above has already waited for it).
    session = lock_session(sid)
    if session is None or session.revoked_at is not None:
        # Pruned, or ended (a password change, a teacher), since the revocation check.
        refused = refusal_for_revoked(session.ended_reason if session else None)
        db.session.rollback()
        raise refused
    if session_end(session) <= utcnow():  # SESSION_MAX_AGE was lowered since it was issued
        db.session.rollback()
        raise Refused(SESSION_OVER, ErrorKind.SESSION_OVER)
    tokens = issue_tokens(user, session, fresh=False)  # no password typed
    db.session.commit()
    return tokens


def log_out(claims: dict) -> None:
    """Revoke this access token and its whole session: every token of the session dies.

    Both statements are idempotent, so two logouts sent at once both succeed.
    """
    # The session's lock first, as a refresh and a password change take it: a password change
    # revokes this same session, and two orders of the same locks would deadlock.
    lock_session(claims["sid"])
    revoke_access_token(claims)
    revoke_sessions(AuthSession.id == claims["sid"], reason=LOGGED_OUT)
    db.session.commit()


def change_password(user: User, claims: dict, new_password: str) -> tuple[IssuedTokens, int]:
    """Set a new password from the session of `claims`, which carries on with fresh tokens.

    Every session of the user ends (`set_password`), this one too: its tokens from before the
    change, access tokens from before its last refresh included, are refused from now on. A new
    session takes its place, with the same login time (SESSION_MAX_AGE still counts from the
    login). Returns its tokens and how many OTHER sessions were ended; raises Refused if this
    session is gone, ended or over.
    """
    session = lock_session(claims["sid"])  # a refresh of this session waits, or went first
    if session is None:  # pruned a moment ago, between the revocation check and here
        db.session.rollback()
        raise Refused(TOKEN_REVOKED, ErrorKind.TOKEN_REVOKED)
    if session_end(session) <= utcnow():
        db.session.rollback()
        raise Refused(SESSION_OVER, ErrorKind.SESSION_OVER)
    others = set_password(user, new_password, from_session=session.id)
    successor = new_session(user, started_at=as_utc(session.created_at))
    tokens = issue_tokens(user, successor, fresh=True)
    db.session.commit()
    return tokens, others


def set_password(user: User, new_password: str, *, from_session: str | None = None) -> int:
    """The one rule for every way a password is set: hash it, and end every session of the user.

    A change at POST /api/password, the room teacher's password (`flask seed-demo`), any command
    that sets one: whoever knew the old password may hold tokens, access or refresh, in any
    session. `from_session`, the session a change is made from, ends first, and only if it is
    still live (else Refused): of two changes sent at once from one session, one wins. Returns
    how many (other) sessions were live. The caller commits.
    """
    user.password = new_password  # hashed before this transaction writes anything
    if from_session is not None and not revoke_sessions(
        AuthSession.id == from_session, reason=REVOKED
    ):
        db.session.rollback()
        raise Refused(TOKEN_REVOKED, ErrorKind.TOKEN_REVOKED)
    return revoke_sessions(AuthSession.user_id == user.id, reason=REVOKED)


def set_refresh_cookie(response: Response, tokens: IssuedTokens) -> None:
    """Put the refresh token (HttpOnly) and its CSRF value (readable) in cookies.

    The cookies last exactly as long as the refresh token: a dead token is not worth sending.
    """
    max_age = max(1, math.ceil((tokens.refresh_expires_at - utcnow()).total_seconds()))
    set_refresh_cookies(response, tokens.refresh, max_age=max_age)


def clear_refresh_cookie(response: Response) -> Response:
    """Tell the browser to delete both cookies `set_refresh_cookie` set (logout, a refused
    refresh): a refresh token that can no longer be used is not worth sending."""
    unset_refresh_cookies(response)
    return response


# --- What the steps are made of -----------------------------------------------------------------


def _expiry(claims: dict) -> datetime:
    return datetime.fromtimestamp(claims["exp"], UTC)


def issue_tokens(user: User | TokenUser, session: AuthSession, *, fresh: bool) -> IssuedTokens:
    """Make an access token and a refresh token for `session`, and register the refresh token.

    Only registered refresh tokens are accepted at /api/token/refresh. The caller commits.
    `fresh` is True when the user has just typed their password (a login, a password change),
    False for a refresh. It goes into the access token's `fresh` claim, which the lab's token
    inspector explains; no route here asks for a fresh token (`@jwt_required(fresh=True)`).
    """
    now = utcnow()
    # No token outlives the session: near its end, both are cut short to end with it.
    left = session_end(session) - now
    config = current_app.config
    access_lifetime = min(config["JWT_ACCESS_TOKEN_EXPIRES"], left)
    access = create_access_token(
        identity=user,
        additional_claims={"sid": session.id},
        fresh=fresh,
        expires_delta=access_lifetime,
    )
    # For the teacher's view (routes/classroom.py): when this access token stops working, and
    # when the session last traded its refresh token.
    session.access_expires_at = _expiry(decode_token(access))
    if not fresh:
        session.refreshed_at = now
    # `session_end` lets an expired refresh token say why (jwt_callbacks.expired_token).
    refresh = create_refresh_token(
        identity=user,
        additional_claims={"sid": session.id, "session_end": int(session_end(session).timestamp())},
        expires_delta=min(config["JWT_REFRESH_TOKEN_EXPIRES"], left),
    )
    # decode_token reads back the jti and exp the library chose.
    refresh_claims = decode_token(refresh)
    expires_at = _expiry(refresh_claims)
    db.session.add(
        RefreshToken(jti=refresh_claims["jti"], session_id=session.id, expires_at=expires_at)
    )
    # The session lives as long as its newest refresh token: each refresh extends it, up to
    # session_end.
    session.expires_at = expires_at
    return IssuedTokens(access, refresh, expires_at, int(access_lifetime.total_seconds()))


def new_session(user: User, started_at: datetime) -> AuthSession:
    """Add a session (no tokens yet) for a user whose login was at `started_at`."""
    session = AuthSession(
        id=str(uuid.uuid4()),
        user_id=user.id,
        created_at=started_at,
        expires_at=started_at + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"],
    )
    db.session.add(session)
    return session


def session_end(session: AuthSession) -> datetime:
    """When a session is over, however often it was refreshed: its login + SESSION_MAX_AGE."""
    return as_utc(session.created_at) + timedelta(seconds=current_app.config["SESSION_MAX_AGE"])


def expired_with_its_session(claims: dict) -> bool:
    """True for an expired refresh token whose `exp` was its session's end (SESSION_MAX_AGE)."""
    end = claims.get("session_end")
    return claims.get("type") == "refresh" and isinstance(end, int) and claims["exp"] >= end


def lock_session(session_id: str) -> AuthSession | None:
    """Load a session and lock its row until the commit (SELECT ... FOR UPDATE).

    A refresh issues the session's next tokens; a password change ends the session and starts
    its successor. At the same moment on PostgreSQL, the refresh would not see the change and
    hand out tokens of an ended session; with the lock, the second waits for the first and then
    sees its work (rotate refuses a revoked session). SQLite has no row locks and needs none:
    one writer at a time.
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


def revoke_sessions(*where: ColumnElement[bool], reason: str) -> int:
    """End the sessions that match `where`: all their tokens, access and refresh, are refused
    from the next request on. Returns how many this call ended. The caller commits.

    Every way a session ends comes here: a logout (`AuthSession.id == sid`), a reused refresh
    token, a new password or role (`AuthSession.user_id == user.id`), a teacher (any condition).
    `reason` (models.LOGGED_OUT, REVOKED, REFRESH_REUSED or ENDED_BY_TEACHER) is what the
    classroom view shows and what the 401 of a later request says (jwt_callbacks.revoked_token).
    A session already ended keeps its first reason and is not counted: one
    UPDATE ... WHERE revoked_at IS NULL, so of two requests racing to end one session, exactly
    one does.
    """
    result = db.session.execute(
        db.update(AuthSession)
        .where(AuthSession.revoked_at.is_(None), *where)
        .values(revoked_at=utcnow(), ended_reason=reason)
    )
    return result.rowcount


# INSERT ... ON CONFLICT DO NOTHING, in the two databases the app is tested on.
_INSERT_OR_IGNORE = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def revoke_access_token(claims: dict) -> None:
    """Put one access token on the blocklist (by its jti) until it expires anyway.

    Idempotent even under concurrency: two logouts sent at once with the same token both try to
    insert its jti. "Is it there? If not, add it" would let both pass the check and the second
    insert fail on the unique key (a 500); ON CONFLICT DO NOTHING lets the database decide.
    The caller commits.
    """
    row = {"jti": claims["jti"], "expires_at": _expiry(claims)}
    insert = _INSERT_OR_IGNORE.get(db.session.get_bind().dialect.name)
    if insert is not None:
        db.session.execute(insert(RevokedToken).values(row).on_conflict_do_nothing())
    elif db.session.get(RevokedToken, row["jti"]) is None:  # other databases: check, then add
        db.session.add(RevokedToken(**row))


# --- Pruning -----------------------------------------------------------------------------------

# Opportunistic pruning runs at most this often per process (at login), so the tables stay small
# even if nobody runs `flask prune-tokens`.
PRUNE_EVERY = timedelta(minutes=10)


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


def prune_now_and_then() -> None:
    """maybe_prune() at login; a failure here must not fail the login."""
    try:
        maybe_prune()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("Pruning expired tokens failed; will try again later")
