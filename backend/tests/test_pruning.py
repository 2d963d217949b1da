"""Expired rows are pruned (a CLI command, and now and then at login); live rows never are."""

from datetime import timedelta

import pytest
import time_machine
from helpers import assert_401

from app.extensions import db
from app.models import AuthSession, RefreshToken, RevokedToken

T0 = "2030-01-01 12:00:00+00:00"


def counts(app):
    """How many rows each lifecycle table holds."""
    with app.app_context():
        return {
            name: db.session.scalar(db.select(db.func.count()).select_from(model))
            for name, model in [
                ("sessions", AuthSession),
                ("refresh_tokens", RefreshToken),
                ("revoked_tokens", RevokedToken),
            ]
        }


def prune(runner):
    result = runner.invoke(args=["prune-tokens"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_prune_tokens_deletes_only_what_has_expired(app, runner, logged_in):
    with time_machine.travel(T0, tick=False) as traveller:
        alice, bob, carol = logged_in("alice"), logged_in("bob"), logged_in("carol")
        bob.logout()  # revokes bob's access token (until T0 + 15 min) and his session
        traveller.shift(timedelta(days=1))
        alice.refresh()  # alice's first refresh token is used; her session now ends at T0 + 8 d
        assert counts(app) == {"sessions": 3, "refresh_tokens": 4, "revoked_tokens": 1}

        traveller.shift(timedelta(hours=1) - timedelta(days=1))  # T0 + 1 h
        assert prune(runner) == (
            "Deleted 0 expired refresh token(s), 1 expired revoked access token(s), "
            "0 expired session(s)."
        )

        traveller.move_to("2030-01-08 11:59:59+00:00")  # one second before 7 days
        assert prune(runner).startswith("Deleted 0 expired refresh token(s), 0 expired revoked")
        assert counts(app) == {"sessions": 3, "refresh_tokens": 4, "revoked_tokens": 0}

        traveller.shift(timedelta(seconds=2))  # T0 + 7 d + 1 s
        assert prune(runner) == (
            "Deleted 3 expired refresh token(s), 0 expired revoked access token(s), "
            "2 expired session(s)."
        )
        # Left: alice's session and the refresh token she got a day after logging in.
        assert counts(app) == {"sessions": 1, "refresh_tokens": 1, "revoked_tokens": 0}
        assert alice.refresh().status_code == 200
        assert alice.protected().status_code == 200
        assert carol.protected().status_code == 401  # her session expired with its refresh token


def test_a_revoked_session_is_kept_until_it_expires(app, runner, logged_in):
    """So that a late replay of its tokens still says "revoked"."""
    with time_machine.travel(T0, tick=False) as traveller:
        alice = logged_in("alice")
        token, refresh = alice.token, (alice.refresh_cookie(), alice.csrf_cookie())
        alice.logout()
        traveller.shift(timedelta(days=1))
        prune(runner)
        assert counts(app)["sessions"] == 1
        assert_401(
            alice.protected(token), "Token has expired", "token_expired"
        )  # expired now, and it says so
        alice.use_refresh_cookie(*refresh)
        assert_401(alice.refresh(), "Token has been revoked", "token_revoked")


@pytest.fixture
def short_access_tokens(settings):
    settings["ACCESS_TOKEN_TTL"] = 60


def test_logins_prune_at_most_every_ten_minutes(short_access_tokens, app, logged_in):
    with time_machine.travel(T0, tick=False) as traveller:
        logged_in("alice")  # the first login of this process prunes (nothing yet)
        logged_in("bob").logout()  # a revoked access token, expiring at T0 + 1 min
        assert counts(app)["revoked_tokens"] == 1

        traveller.shift(timedelta(minutes=5))
        logged_in("carol")  # the revoked token has expired, but the last prune was 5 min ago
        assert counts(app)["revoked_tokens"] == 1

        traveller.shift(timedelta(minutes=5, seconds=1))
        logged_in("carol")  # 10 min 1 s after the last prune: prune again
        assert counts(app)["revoked_tokens"] == 0
