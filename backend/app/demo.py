"""The demo accounts: listed on the login page in demo mode and created by `flask seed-demo`.

A class shares them, so nothing one student does with one may spoil it for the others: their
passwords cannot be changed (`refuse_demo_accounts`), and the student accounts' limits (failed
logins, tamper-lab specimens) count per (account, address) rather than per account
(rate_limits.py), so one student spends only their own budget. The teacher is one person: its
limits count per account, as anyone's.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from flask_jwt_extended import current_user
from sqlalchemy.exc import IntegrityError

from app.config import kept_in_file
from app.errors import ErrorKind, json_error
from app.extensions import db
from app.lifecycle import revoke_sessions, set_password
from app.models import REVOKED, STUDENT, TEACHER, AuthSession, User

# Public on purpose: they are printed on the login page so a class can start in seconds (with
# DEMO_TEACHER_PASSWORD set, as `make room` does, the teacher's is private: see demo_accounts).
DEMO_ACCOUNTS: list[dict[str, str]] = [
    {"username": "demo", "password": "demo1234", "role": STUDENT},
    {"username": "student", "password": "student1234", "role": STUDENT},
    {"username": "teacher", "password": "teacher1234", "role": TEACHER},
]
DEMO_USERNAMES = frozenset(account["username"] for account in DEMO_ACCOUNTS)
# The accounts a whole class logs in with. Not the teacher: one person, limited like anyone.
SHARED_USERNAMES = frozenset(a["username"] for a in DEMO_ACCOUNTS if a["role"] == STUDENT)
SHARED_ACCOUNT_MSG = "Demo accounts are shared by the class: their password cannot be changed"


def demo_accounts(teacher_password: str | None) -> list[dict[str, str]]:
    """The demo accounts with their passwords in force: a room's teacher may have its own
    (DEMO_TEACHER_PASSWORD)."""
    return [
        {**account, "password": teacher_password}
        if teacher_password and account["role"] == TEACHER
        else dict(account)
        for account in DEMO_ACCOUNTS
    ]


def make_teacher_password() -> str:
    """A new random password for a room's teacher: 12 characters, 72 random bits, easy to type."""
    return secrets.token_urlsafe(9)


def room_teacher_password(*, new: bool = False) -> str:
    """The room's teacher password, kept (mode 0600) in TEACHER_PASSWORD_FILE across restarts.

    Made on first use, or again with `new`; DEMO_TEACHER_PASSWORD, when set, is the one kept.
    """
    path = Path(current_app.config["TEACHER_PASSWORD_FILE"])
    chosen = current_app.config.get("DEMO_TEACHER_PASSWORD")
    if new:
        chosen = make_teacher_password()
    return kept_in_file(path, make_teacher_password, new=chosen)


def accounts_in_force() -> list[dict[str, str]]:
    """`demo_accounts` with this app's DEMO_TEACHER_PASSWORD."""
    return demo_accounts(current_app.config.get("DEMO_TEACHER_PASSWORD"))


def listed_accounts() -> list[dict[str, str]]:
    """The accounts the login page may print: all of them, but a private teacher password."""
    private = current_app.config.get("DEMO_TEACHER_PASSWORD")
    return [a for a in accounts_in_force() if not (private and a["role"] == TEACHER)]


def is_published_password(username: str, password: str) -> bool:
    """True for a demo account's own password as the login page lists it, in demo mode only."""
    if not has_app_context() or not current_app.config["DEMO_MODE"]:
        return False
    return any(
        (account["username"], account["password"]) == (username, password)
        for account in listed_accounts()
    )


def is_demo_account(username: str) -> bool:
    """True for a demo account's (normalised) username while DEMO_MODE is on."""
    return bool(current_app.config["DEMO_MODE"]) and username in DEMO_USERNAMES


def is_shared_account(username: str) -> bool:
    """True for a demo account the class shares (`demo`, `student`) while DEMO_MODE is on.

    Its rate limits count per (account, address): one student spends only their own budget.
    """
    return bool(current_app.config["DEMO_MODE"]) and username in SHARED_USERNAMES


def refuse_demo_accounts(view: Callable) -> Callable:
    """403 for a demo account's token: the view would change what the whole class shares.

    Put below `@jwt_required()`, so the user is known.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if is_demo_account(current_user.username):
            return json_error(403, SHARED_ACCOUNT_MSG, ErrorKind.SHARED_ACCOUNT)
        return view(*args, **kwargs)

    return wrapper


def seed_demo_users() -> list[str]:
    """Make sure each demo account exists with its documented password and role; return what
    changed.

    Safe to run on every start: an account that is already right is left alone.
    """
    changes: list[str] = []
    for account in accounts_in_force():
        user = db.session.scalar(db.select(User).where(User.username == account["username"]))
        if user is None:
            user = User(username=account["username"], role=account["role"])
            user.password = account["password"]
            db.session.add(user)
            changes.append(f"created {account['username']}")
            continue
        if not user.verify_password(account["password"]):
            # Every session of the old password ends: anyone who once saw it is out.
            ended = set_password(user, account["password"])
            name = account["username"]
            changes.append(f"reset the password of {name} ({ended} session(s) ended)")
        if user.role != account["role"]:
            user.role = account["role"]
            # Tokens carry the role: the old one must not live on.
            revoke_sessions(AuthSession.user_id == user.id, reason=REVOKED)
            changes.append(f"made {account['username']} a {account['role']}")
    try:
        db.session.commit()
    except IntegrityError:
        # Another process (a second `make run`?) seeded at the same moment: theirs is as good.
        db.session.rollback()
    return changes
