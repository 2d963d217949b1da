"""POST /api/logout: the server stops accepting the session's tokens, and that is remembered."""

from helpers import (
    CSRF_COOKIE,
    REFRESH_COOKIE,
    REFRESH_PATH,
    Browser,
    assert_401,
    statements_sent,
)

from app.extensions import db
from app.models import User

REVOKED = "Token has been revoked"


def test_logout_revokes_the_access_token_and_the_refresh_token(app, logged_in):
    alice = logged_in("alice")
    refresh = (alice.refresh_cookie(), alice.csrf_cookie())

    response = alice.logout()

    assert response.status_code == 200
    assert response.get_json() == {"msg": "Logged out"}
    assert_401(alice.protected(), REVOKED, "token_revoked")
    alice.use_refresh_cookie(*refresh)  # as if a copy had been kept
    assert_401(alice.refresh(), REVOKED, "token_revoked")


def test_logout_revokes_the_sessions_other_access_tokens(app, logged_in):
    alice = logged_in("alice")
    before_refresh = alice.token
    alice.refresh()

    alice.logout()

    assert_401(alice.protected(before_refresh), REVOKED, "token_revoked")


def test_logout_clears_the_cookies(app, logged_in):
    alice = logged_in("alice")

    response = alice.logout()

    cleared = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    assert f"Path={REFRESH_PATH}" in cleared[REFRESH_COOKIE]
    assert cleared[REFRESH_COOKIE].startswith(f"{REFRESH_COOKIE}=;")
    assert cleared[CSRF_COOKIE].startswith(f"{CSRF_COOKIE}=;")
    assert alice.refresh_cookie() is None
    assert alice.csrf_cookie() is None


def test_logout_leaves_other_sessions_alone(app, logged_in):
    laptop, phone = logged_in("alice"), logged_in("alice")
    bob = logged_in("bob")

    laptop.logout()

    assert phone.protected().status_code == 200
    assert phone.refresh().status_code == 200
    assert bob.protected().status_code == 200


def test_logout_needs_a_token(client):
    response = client.post("/api/logout")
    assert_401(response, "Missing Authorization Header", "token_missing")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_logging_out_twice_is_refused_the_second_time(app, logged_in):
    alice = logged_in("alice")
    alice.logout()
    assert_401(alice.logout(), REVOKED, "token_revoked")


def test_logout_does_not_take_the_refresh_token_instead(app, logged_in):
    """The refresh token cannot log out (or do anything) in the access token's place."""
    alice = logged_in("alice")
    response = alice.client.post(
        "/api/logout", headers={"Authorization": f"Bearer {alice.refresh_cookie()}"}
    )
    assert_401(response, "Only non-refresh tokens are allowed", "token_invalid")


def test_revocation_survives_a_restart(make_app, app, logged_in):
    """Revocations live in the database, not in the process: a new app on the same DB agrees."""
    gone, kept = logged_in("alice"), logged_in("alice")
    refresh = (gone.refresh_cookie(), gone.csrf_cookie())
    gone.logout()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()

    restarted = make_app(schema=None)  # the same database, new process state
    browser = Browser(restarted.test_client())

    assert_401(browser.protected(gone.token), REVOKED, "token_revoked")
    browser.use_refresh_cookie(*refresh)
    assert_401(browser.refresh(), REVOKED, "token_revoked")
    assert browser.protected(kept.token).status_code == 200


def test_the_revocation_check_is_one_query(app, logged_in):
    """Every protected request checks revocation: one primary-key query, user included."""
    alice = logged_in("alice")
    with app.app_context():
        engine = db.engine
        alice_id = db.session.scalar(db.select(User.id).where(User.username == "alice"))

    with statements_sent(engine) as statements:
        response = alice.protected()

    assert response.status_code == 200
    assert response.get_json() == {"id": alice_id, "username": "alice"}
    assert len(statements) == 1, statements
    assert "revoked_tokens" in statements[0] and "auth_sessions" in statements[0]
