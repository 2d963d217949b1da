"""POST /api/password: change it, and every other login of the user ends."""

import pytest
from helpers import PASSWORD, assert_401

REVOKED = "Token has been revoked"
NEW = "a brand new password"


def change(browser, current=PASSWORD, new=NEW):
    response = browser.client.post(
        "/api/password",
        json={"current_password": current, "new_password": new},
        headers=browser.headers,
    )
    if response.status_code == 200:
        browser.token = response.get_json()["token"]
    return response


def test_the_password_changes(app, auth, logged_in):
    alice = logged_in("alice")

    response = change(alice)

    assert response.status_code == 200
    assert auth.login("alice", PASSWORD).status_code == 401
    assert auth.login("alice", NEW).status_code == 200


def test_other_sessions_are_revoked_and_this_one_continues(app, logged_in):
    here, elsewhere, other_user = logged_in("alice"), logged_in("alice"), logged_in("bob")
    old_token = here.token
    elsewhere_refresh = (elsewhere.refresh_cookie(), elsewhere.csrf_cookie())

    response = change(here)

    body = response.get_json()
    assert set(body) == {"token", "expires_in", "revoked_sessions"}
    assert body["revoked_sessions"] == 1
    assert response.headers["Cache-Control"] == "no-store"
    # Elsewhere: both tokens are dead.
    assert_401(elsewhere.protected(), REVOKED, "token_revoked")
    elsewhere.use_refresh_cookie(*elsewhere_refresh)
    assert_401(elsewhere.refresh(), REVOKED, "token_revoked")
    # Here: the new access token works, the one sent with the request does not.
    assert here.protected().get_json()["username"] == "alice"
    assert_401(here.protected(old_token), REVOKED, "token_revoked")
    # ... and the rotated refresh cookie works.
    assert here.refresh().status_code == 200
    assert here.protected().status_code == 200
    # Another user is not touched.
    assert other_user.protected().status_code == 200


def test_the_refresh_token_from_before_the_change_is_retired(app, logged_in):
    alice = logged_in("alice")
    before = (alice.refresh_cookie(), alice.csrf_cookie())

    response = change(alice)

    assert alice.refresh_cookie() != before[0]
    assert "refresh_token_cookie=" in " ".join(response.headers.getlist("Set-Cookie"))
    alice.use_refresh_cookie(*before)
    assert alice.refresh().status_code == 401


def test_a_wrong_current_password_is_400_and_changes_nothing(app, auth, logged_in):
    alice, elsewhere = logged_in("alice"), logged_in("alice")

    response = change(alice, current="not my password")

    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Invalid password change",
        "error": "validation_failed",
        "errors": {"current_password": "Current password is incorrect"},
    }
    assert alice.protected().status_code == 200  # the token was fine, and still is
    assert elsewhere.protected().status_code == 200
    assert auth.login("alice", PASSWORD).status_code == 200


RULE = "Use 8 to 128 characters"
MISSING = "This field is required"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"current_password": PASSWORD, "new_password": "short"}, {"new_password": RULE}),
        ({"current_password": PASSWORD, "new_password": "x" * 129}, {"new_password": RULE}),
        ({"current_password": PASSWORD}, {"new_password": MISSING}),
        ({"new_password": NEW}, {"current_password": MISSING}),
        (
            {"current_password": "", "new_password": NEW},
            {"current_password": "Enter your current password"},
        ),
        (
            {"current_password": PASSWORD, "new_password": 12345678},
            {"new_password": "Must be a string"},
        ),
        (
            {"current_password": PASSWORD, "new_password": PASSWORD},
            {"new_password": "Choose a password different from the current one"},
        ),
    ],
)
def test_bad_bodies_are_400_per_field(app, auth, logged_in, body, errors):
    alice = logged_in("alice")

    response = alice.client.post("/api/password", json=body, headers=alice.headers)

    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Invalid password change",
        "error": "validation_failed",
        "errors": errors,
    }
    assert auth.login("alice", PASSWORD).status_code == 200


def test_not_json_is_400(app, logged_in):
    alice = logged_in("alice")
    response = alice.client.post("/api/password", data="x", headers=alice.headers)
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Request body must be a JSON object",
        "error": "body_not_json",
    }


def test_changing_the_password_needs_a_token(client):
    response = client.post(
        "/api/password", json={"current_password": PASSWORD, "new_password": NEW}
    )
    assert_401(response, "Missing Authorization Header", "token_missing")


def test_a_logged_out_token_cannot_change_the_password(app, auth, logged_in):
    alice = logged_in("alice")
    token = alice.token
    alice.logout()
    alice.token = token

    assert_401(change(alice), REVOKED, "token_revoked")
    assert auth.login("alice", PASSWORD).status_code == 200


def test_access_tokens_from_before_the_last_refresh_die_with_the_change(app, logged_in):
    """A copy of an older access token of this same session must not outlive the change."""
    alice = logged_in("alice")
    from_the_login = alice.token
    assert alice.refresh().status_code == 200
    from_the_refresh = alice.token

    assert change(alice).status_code == 200

    assert_401(alice.protected(from_the_login), REVOKED, "token_revoked")
    assert_401(alice.protected(from_the_refresh), REVOKED, "token_revoked")
    assert alice.protected().get_json()["username"] == "alice"


@pytest.mark.parametrize(
    ("new", "why"),
    [
        ("12345678", "This password is too common: it is among the first ones attackers try"),
        ("Alice2026", "This password is your username: too easy to guess"),
        (
            "jwt classroom",
            "This password is this app's name or one of its words: too easy to guess here",
        ),
    ],
)
def test_a_password_anyone_would_try_first_is_refused_and_changes_nothing(
    app, auth, logged_in, new, why
):
    alice = logged_in("alice")

    response = change(alice, new=new)

    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Invalid password change",
        "error": "validation_failed",
        "errors": {"new_password": why},
    }
    assert alice.protected().status_code == 200
    assert auth.login("alice", PASSWORD).status_code == 200
