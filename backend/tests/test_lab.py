"""POST /api/lab/tokens: the tamper lab's specimens grant nothing."""

import time

import pytest
import time_machine
from helpers import Browser, assert_401, decode
from sqlalchemy import func, select

from app.extensions import db
from app.lifecycle import prune_expired
from app.models import RevokedToken

T0 = "2030-01-01 12:00:00+00:00"


def lab_tokens(browser):
    response = browser.client.post("/api/lab/tokens", headers=browser.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def claims(app, token):
    return decode(app, token, options={"verify_exp": False})


def test_the_expired_token_is_yours_and_expired(app, logged_in):
    with time_machine.travel(T0, tick=False):
        alice = logged_in("alice")
        expired = lab_tokens(alice)["expired"]

        got = claims(app, expired)
        mine = claims(app, alice.token)
        assert (got["sub"], got["sid"], got["type"]) == (mine["sub"], mine["sid"], "access")
        assert got["exp"] == int(time.time()) - 1
        assert got["exp"] - got["iat"] == 900  # looks like a normal token, a lifetime later
        assert_401(alice.protected(expired), "Token has expired", "token_expired")


def test_the_refresh_specimen_is_refused_everywhere(app, logged_in):
    alice = logged_in("alice")
    refresh = lab_tokens(alice)["refresh"]
    assert claims(app, refresh)["type"] == "refresh"

    assert_401(alice.protected(refresh), "Only non-refresh tokens are allowed", "token_invalid")

    attacker = Browser(app.test_client())
    attacker.use_refresh_cookie(refresh, claims(app, refresh)["csrf"])
    assert_401(attacker.refresh(), "Unknown refresh token", "token_invalid")
    # Refusing it did not harm alice's real session.
    assert alice.protected().status_code == 200
    assert alice.refresh().status_code == 200


def test_the_revoked_token_is_genuine_and_unexpired_but_refused(app, logged_in):
    alice = logged_in("alice")
    revoked = lab_tokens(alice)["revoked"]

    got = claims(app, revoked)
    mine = claims(app, alice.token)
    assert (got["sub"], got["sid"], got["type"]) == (mine["sub"], mine["sid"], "access")
    assert got["exp"] > time.time()  # not expired: the blocklist alone refuses it
    assert got["jti"] != mine["jti"]
    assert_401(alice.protected(revoked), "Token has been revoked", "token_revoked")
    # Only that token: alice's real one and her session carry on.
    assert alice.protected().status_code == 200
    assert alice.refresh().status_code == 200


def test_tokens_for_another_audience_or_issuer_are_genuine_but_refused(app, logged_in):
    alice = logged_in("alice")
    got = lab_tokens(alice)
    mine = claims(app, alice.token)

    other_audience = decode(app, got["other_audience"], options={"verify_aud": False})
    other_issuer = decode(app, got["other_issuer"], options={"verify_iss": False})
    assert (other_audience["aud"], other_issuer["iss"]) == ("another-api", "https://issuer.example")
    for specimen in (other_audience, other_issuer):
        # Signed by the current key, for alice and her session: only aud or iss differs.
        assert (specimen["sub"], specimen["sid"]) == (mine["sub"], mine["sid"])
    assert other_issuer["aud"] == mine["aud"]
    assert other_audience["iss"] == mine["iss"]

    assert_401(alice.protected(got["other_audience"]), "Audience doesn't match", "token_invalid")
    assert_401(alice.protected(got["other_issuer"]), "Invalid issuer", "token_invalid")
    assert alice.protected().status_code == 200


def test_the_revoked_token_stays_refused_until_it_expires_and_is_then_pruned(app, logged_in):
    with time_machine.travel(T0, tick=False) as traveller:
        alice = logged_in("alice")
        revoked = lab_tokens(alice)["revoked"]

        traveller.shift(899)  # a second before its exp
        assert_401(alice.protected(revoked), "Token has been revoked", "token_revoked")
        traveller.shift(2)
        with app.app_context():
            assert prune_expired()["revoked_tokens"] == 1
        # Its blocklist row is gone, and its exp refuses it now.
        assert_401(alice.protected(revoked), "Token has expired", "token_expired")


@pytest.fixture
def lab_limit(settings):
    settings["RATELIMIT_LAB_TOKENS_PER_SESSION"] = "2/minute"
    return settings


def test_specimens_are_limited_per_login_session(lab_limit, app, logged_in):
    alice = logged_in("alice")
    for _ in range(2):
        lab_tokens(alice)
    response = alice.client.post("/api/lab/tokens", headers=alice.headers)
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])
    assert response.get_json() == {
        "msg": f"Too many attempts, try again in {seconds} seconds",
        "error": "rate_limited",
    }
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(RevokedToken))
    assert rows == 2  # a refused call wrote nothing

    # Another login (another student as the same demo user) has its own count.
    assert lab_tokens(logged_in("alice"))["revoked"]


@pytest.fixture
def lab_user_limit(settings):
    settings.update(
        RATELIMIT_LAB_TOKENS_PER_SESSION="100/minute", RATELIMIT_LAB_TOKENS_PER_USER="3/minute"
    )
    return settings


def test_specimens_are_limited_per_user_whatever_the_session(lab_user_limit, app, logged_in):
    """Logging in again starts a new session, but not a new budget of blocklist rows."""
    lab_tokens(logged_in("alice"))
    lab_tokens(logged_in("alice"))
    alice = logged_in("alice")
    lab_tokens(alice)

    assert alice.client.post("/api/lab/tokens", headers=alice.headers).status_code == 429
    again = logged_in("alice")
    assert again.client.post("/api/lab/tokens", headers=again.headers).status_code == 429
    assert lab_tokens(logged_in("bob"))["revoked"]  # another user has their own count


def test_other_user_id(app, logged_in):
    alice = logged_in("alice")
    assert lab_tokens(alice)["other_user_id"] is None

    bob = logged_in("bob")
    bob_id = bob.protected().get_json()["id"]
    assert lab_tokens(alice)["other_user_id"] == bob_id
    assert lab_tokens(bob)["other_user_id"] == alice.protected().get_json()["id"]


def test_the_lab_needs_a_live_token(app, client, logged_in):
    assert_401(client.post("/api/lab/tokens"), "Missing Authorization Header", "token_missing")
    alice = logged_in("alice")
    token = alice.token
    alice.logout()
    alice.token = token
    response = alice.client.post("/api/lab/tokens", headers=alice.headers)
    assert_401(response, "Token has been revoked", "token_revoked")
