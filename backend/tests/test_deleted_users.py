"""A user deleted outside the app: their tokens must not pass to the next account.

SQLite hands out the highest id again after a delete unless the table says AUTOINCREMENT, and
enforces foreign keys only on connections that ask. Without both, a user deleted with raw SQL
left their sessions behind, the next signup got their id, and the deleted user's access token
and refresh cookie worked for the new account.
"""

import sqlite3
from contextlib import closing

import pytest
from helpers import Browser, assert_401
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import AuthSession, RefreshToken, User
from tools.scratch_database import connect


def delete_user_outside_the_app(app, user_id):
    """`DELETE FROM users` from another client (the sqlite3 shell, psql), not through the app.

    A plain sqlite3 connection does not enforce foreign keys: the sessions stay behind.
    """
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        with closing(sqlite3.connect(url.database)) as connection, connection:
            connection.execute("DELETE FROM users WHERE id = ?", (user_id,))
    else:
        with connect(url.render_as_string(hide_password=False)) as connection:
            connection.execute("DELETE FROM users WHERE id = %s", (user_id,))


def signup_id(client, username):
    response = client.post("/api/signup", json={"username": username, "password": "correct horse"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_new_account_never_gets_the_tokens_of_a_deleted_one(app, client):
    signup_id(client, "early")
    alice_id = signup_id(client, "alice")  # the highest id: the one SQLite would hand out again
    alice = Browser(app.test_client())
    assert alice.login("alice", "correct horse").status_code == 200
    old_refresh = (alice.refresh_cookie(), alice.csrf_cookie())

    delete_user_outside_the_app(app, alice_id)
    mallory_id = signup_id(client, "mallory")

    assert_401(alice.protected(), "User not found", "user_not_found")
    alice.use_refresh_cookie(*old_refresh)
    response = alice.refresh()
    assert response.status_code == 401, response.get_json()
    assert "token" not in response.get_json()
    assert mallory_id != alice_id


def test_deleting_a_user_through_the_app_deletes_their_sessions(app, client):
    """Raw SQL on the app's own connection (e.g. `flask shell`): the foreign keys cascade."""
    signup_id(client, "alice")
    alice = Browser(app.test_client())
    assert alice.login("alice", "correct horse").status_code == 200
    alice.refresh()

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AuthSession)) == 1
        db.session.execute(text("DELETE FROM users WHERE username = 'alice'"))
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(AuthSession)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(RefreshToken)) == 0


def test_a_session_for_a_user_who_does_not_exist_is_refused(app):
    with app.app_context():
        db.session.add(AuthSession(user_id=12345, expires_at=db.func.now()))
        with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
