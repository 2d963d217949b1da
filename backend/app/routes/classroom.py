"""The teacher's view of the room: every session on this server, and a way to end them.

GET /api/classroom/sessions, POST /api/classroom/sessions/<id>/end and
POST /api/classroom/sessions/end-students. Teachers only: a valid token without the `teacher`
role gets 403 (teacher_required, below), no token or a bad one 401, as everywhere.

Everything is read from the database on each call, so the view is the same whichever API
process answers, and a session ended here is refused by every process at its next request
(jwt_callbacks.token_is_revoked reads the session row on every request anyway).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from flask import Blueprint, jsonify
from flask_jwt_extended import get_jwt, jwt_required
from sqlalchemy import ColumnElement, func

from app.errors import ErrorKind, json_error
from app.extensions import db
from app.lifecycle import revoke_sessions
from app.models import (
    ENDED_BY_TEACHER,
    REVOKED,
    STUDENT,
    TEACHER,
    AuthSession,
    User,
    as_utc,
    utcnow,
)
from app.openapi import documented
from app.schemas import (
    ClassSessionOut,
    ClassSessionsOut,
    EndedOut,
    ErrorOut,
    MessageOut,
    SinceQuery,
)
from app.validation import query_args

bp = Blueprint("classroom", __name__)

# What the view lists besides every active session: the newest ended ones of the last day.
WINDOW = timedelta(hours=24)
MAX_ENDED = 200
# Session ids are UUIDs (lifecycle.start_session): anything else cannot be one, and is not
# worth a query (a NUL in it would even make PostgreSQL's driver fail).
SESSION_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
OWN_SESSION = "That is your own session: use Log out"
NO_SUCH_SESSION = "No such session"
NOT_A_TEACHER = "Only a teacher may open the classroom view"


def teacher_required(view: Callable) -> Callable:
    """403 unless the token's `role` claim is "teacher". Put below `@jwt_required()`.

    The lesson expected a 403 for a missing token; that is a 401 (who are you?). 403 is for a
    valid token whose holder is known and not allowed: here, a student at a teacher's route.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if get_jwt().get("role") != TEACHER:
            return json_error(403, NOT_A_TEACHER, ErrorKind.FORBIDDEN)
        return view(*args, **kwargs)

    return wrapper


def state_of(session: AuthSession, now: datetime) -> str:
    """ "active", why it ended (its `ended_reason`), or "expired" once its refresh token has."""
    if session.revoked_at is not None:
        # lifecycle.revoke_sessions records a reason; a revoked row whose `ended_reason` is
        # empty (the column may be NULL) is shown as plainly "revoked".
        return session.ended_reason or REVOKED
    expires_at = as_utc(session.expires_at)
    if expires_at is not None and expires_at <= now:
        return "expired"
    return "active"


def is_live(now: datetime) -> ColumnElement[bool]:
    """Sessions that are neither revoked nor expired."""
    return AuthSession.revoked_at.is_(None) & (AuthSession.expires_at > now)


def started_since(since: datetime | None) -> list[ColumnElement[bool]]:
    """The teacher's `since`, as a condition: sessions whose login was at or after it."""
    return [] if since is None else [AuthSession.created_at >= since]


def students_to_end(since: datetime | None, now: datetime) -> list[ColumnElement[bool]]:
    """What "End all student sessions" ends: the live students' sessions started since `since`.

    One definition for the list's count and the ending itself, so the number the teacher is
    shown before is the number ended (if nobody logs in or out in between).
    """
    students = db.select(User.id).where(User.role == STUDENT)
    return [
        AuthSession.user_id.in_(students),
        is_live(now),
        AuthSession.id != get_jwt()["sid"],
        *started_since(since),
    ]


def count(*conditions: ColumnElement[bool]) -> int:
    """How many sessions match."""
    return db.session.scalar(db.select(func.count()).select_from(AuthSession).where(*conditions))


@bp.get("/classroom/sessions")
@documented({200: ClassSessionsOut, 403: ErrorOut}, auth="bearerAuth", tags=["classroom"])
@jwt_required(locations=["headers"])
@teacher_required
@query_args(SinceQuery)
def list_sessions(query: SinceQuery) -> Any:
    """Every active session, then the newest ended ones of the last 24 hours (at most 200).

    Active sessions come first and are all listed, so no number of ended ones hides one. With
    `since`, only sessions started at or after it. The counts say how many sessions "End all
    student sessions" would end. The SPA polls this every few seconds: the live table on
    /classroom.
    """
    now = utcnow()
    rows = db.select(AuthSession, User.username, User.role).join(
        User, AuthSession.user_id == User.id
    )
    newest_first = (AuthSession.created_at.desc(), AuthSession.id)
    since = started_since(query.since)
    active = db.session.execute(rows.where(is_live(now), *since).order_by(*newest_first)).all()
    ended_recently = (~is_live(now), AuthSession.created_at >= now - WINDOW, *since)
    ended = db.session.execute(
        rows.where(*ended_recently).order_by(*newest_first).limit(MAX_ENDED)
    ).all()
    own = get_jwt()["sid"]
    out = ClassSessionsOut(
        sessions=[
            ClassSessionOut(
                id=session.id,
                username=username,
                role=role,
                started_at=as_utc(session.created_at),
                refreshed_at=as_utc(session.refreshed_at),
                access_expires_at=as_utc(session.access_expires_at),
                state=state_of(session, now),
                yours=session.id == own,
            )
            for session, username, role in [*active, *ended]
        ],
        active=len(active),
        active_students=count(*students_to_end(query.since, now)),
        ended=count(*ended_recently),
        ended_shown=len(ended),
    )
    response = jsonify(out.model_dump(mode="json"))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/classroom/sessions/<session_id>/end")
@documented(
    {200: MessageOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth="bearerAuth",
    tags=["classroom"],
)
@jwt_required(locations=["headers"])
@teacher_required
def end_session(session_id: str) -> Any:
    """End one session: every token of it gets 401 "Your session was ended by the teacher".

    Not the teacher's own (409: "Log out" is the way to end that), so a click on the wrong row
    cannot lock the teacher out mid-class. Ending a session that already ended changes nothing.
    """
    if session_id == get_jwt()["sid"]:
        return json_error(409, OWN_SESSION, ErrorKind.OWN_SESSION)
    if not SESSION_ID.fullmatch(session_id) or db.session.get(AuthSession, session_id) is None:
        return json_error(404, NO_SUCH_SESSION, ErrorKind.NOT_FOUND)
    revoke_sessions(AuthSession.id == session_id, reason=ENDED_BY_TEACHER)
    db.session.commit()
    return jsonify(MessageOut(msg="Session ended").model_dump())


@bp.post("/classroom/sessions/end-students")
@documented({200: EndedOut, 403: ErrorOut}, auth="bearerAuth", tags=["classroom"])
@jwt_required(locations=["headers"])
@teacher_required
@query_args(SinceQuery)
def end_student_sessions(query: SinceQuery) -> Any:
    """End every active session of every student (the end of class). Teachers stay logged in.

    With `since`, only the sessions started at or after it: this class's, when several groups
    share the server. The answer says how many were ended.
    """
    ended = revoke_sessions(*students_to_end(query.since, utcnow()), reason=ENDED_BY_TEACHER)
    db.session.commit()
    return jsonify(EndedOut(ended=ended).model_dump())
