"""The demo accounts: listed on the login page in demo mode and created by `flask seed-demo`."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import User

# Public on purpose: they are printed on the login page so a class can start in seconds.
DEMO_ACCOUNTS: list[dict[str, str]] = [
    {"username": "demo", "password": "demo1234"},
    {"username": "student", "password": "student1234"},
]


def seed_demo_users() -> list[str]:
    """Make sure each demo account exists with its documented password; return what changed.

    Safe to run on every start: an account that is already right is left alone.
    """
    changes: list[str] = []
    for account in DEMO_ACCOUNTS:
        user = db.session.scalar(db.select(User).where(User.username == account["username"]))
        if user is None:
            user = User(username=account["username"])
            user.password = account["password"]
            db.session.add(user)
            changes.append(f"created {account['username']}")
        elif not user.verify_password(account["password"]):
            user.password = account["password"]
            changes.append(f"reset the password of {account['username']}")
    try:
        db.session.commit()
    except IntegrityError:
        # Another process (a second `make run`?) seeded at the same moment: theirs is as good.
        db.session.rollback()
    return changes
