"""The refresh token: where it lives (cookie attributes), rotation, reuse detection, CSRF."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest
import time_machine
from helpers import CSRF_COOKIE, PASSWORD, REFRESH_COOKIE, REFRESH_PATH, Browser, assert_401, decode

REUSE = "Refresh token reuse detected; the session has been revoked"
REVOKED = "Token has been revoked"


def set_cookies(response):
    """{name: {"value": ..., attribute: value}} from a response's Set-Cookie headers."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        pair, *attributes = header.split("; ")
        name, _, value = pair.partition("=")
        cookie = {"value": value}
        for attribute in attributes:
            key, _, val = attribute.partition("=")
            cookie[key.lower()] = val or True
        cookies[name] = cookie
    return cookies


def claims(app, token):
    return decode(app, token)


def test_only_a_typed_password_makes_a_fresh_token(app, logged_in):
    """fresh=True after a login or a password change; a refresh proves no password: fresh=False."""
    alice = logged_in("alice")
    assert claims(app, alice.token)["fresh"] is True

    refreshed = alice.refresh().get_json()["token"]
    assert claims(app, refreshed)["fresh"] is False

    alice.token = refreshed
    changed = alice.client.post(
        "/api/password",
        json={"current_password": PASSWORD, "new_password": "a brand new password"},
        headers=alice.headers,
    )
    assert changed.status_code == 200, changed.get_json()
    assert claims(app, changed.get_json()["token"])["fresh"] is True


# --- where the refresh token lives --------------------------------------------------------------


def test_login_sets_the_refresh_token_as_an_httponly_strict_cookie_for_one_path(app, auth):
    auth.signup()
    # A frozen clock: on a busy machine a second could pass between signing the token and
    # setting the cookie, and Max-Age (seconds left) would read 604799.
    with time_machine.travel("2030-01-01 12:00:00.25+00:00", tick=False):
        response = auth.login()

    cookies = set_cookies(response)
    refresh = cookies[REFRESH_COOKIE]
    assert refresh["httponly"] is True  # no script on the page can read it
    assert refresh["samesite"] == "Strict"  # never sent by a request another site starts
    assert refresh["path"] == REFRESH_PATH  # sent to the refresh endpoint only
    assert "secure" not in refresh  # plain http://127.0.0.1 in development and tests
    assert refresh["max-age"] == "604800"  # REFRESH_TOKEN_TTL
    # ... and never in the JSON body, where JavaScript would see it.
    assert set(response.get_json()) == {"token", "user_id", "expires_in"}
    assert refresh["value"] not in response.get_data(as_text=True)


def test_the_csrf_cookie_is_readable_by_the_page(app, auth):
    auth.signup()
    cookies = set_cookies(auth.login())

    csrf = cookies[CSRF_COOKIE]
    assert "httponly" not in csrf  # the SPA reads it to echo it in X-CSRF-TOKEN
    assert csrf["path"] == "/"
    assert csrf["samesite"] == "Strict"
    assert csrf["value"] == claims(app, cookies[REFRESH_COOKIE]["value"])["csrf"]


def test_cookies_are_secure_in_production(make_app):
    client = make_app(APP_ENV="production").test_client()
    body = {"username": "alice", "password": "correct horse"}
    client.post("/api/signup", json=body)

    cookies = set_cookies(client.post("/api/token", json=body))

    assert cookies[REFRESH_COOKIE]["secure"] is True
    assert cookies[CSRF_COOKIE]["secure"] is True


def test_both_tokens_name_the_same_session(app, logged_in):
    alice = logged_in("alice")
    access = claims(app, alice.token)
    refresh = claims(app, alice.refresh_cookie())

    assert access["type"] == "access"
    assert refresh["type"] == "refresh"
    assert access["sid"] == refresh["sid"]
    assert refresh["exp"] - refresh["iat"] == 604800
    assert access["jti"] != refresh["jti"]


def test_each_login_is_its_own_session(app, logged_in):
    first, second = logged_in("alice"), logged_in("alice")
    assert claims(app, first.token)["sid"] != claims(app, second.token)["sid"]


# --- refresh and rotation -----------------------------------------------------------------------


def test_refresh_gives_a_working_access_token_and_rotates_the_cookie(app, logged_in):
    alice = logged_in("alice")
    old_access, old_refresh = alice.token, alice.refresh_cookie()

    response = alice.refresh()

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expires_in"}
    assert body["expires_in"] == 900
    assert response.headers["Cache-Control"] == "no-store"
    assert body["token"] != old_access
    assert claims(app, body["token"])["sid"] == claims(app, old_access)["sid"]
    assert alice.protected().get_json()["username"] == "alice"
    new_refresh = alice.refresh_cookie()
    assert new_refresh != old_refresh
    assert set_cookies(response)[REFRESH_COOKIE]["path"] == REFRESH_PATH


def test_a_refresh_token_works_once(app, logged_in):
    alice = logged_in("alice")
    old_refresh, old_csrf = alice.refresh_cookie(), alice.csrf_cookie()
    assert alice.refresh().status_code == 200

    thief = Browser(app.test_client())
    thief.use_refresh_cookie(old_refresh, old_csrf)

    assert_401(thief.refresh(), REUSE, "refresh_reused")


def test_reuse_revokes_the_whole_session(app, logged_in):
    """The old refresh token comes back: every token of that login dies, wherever it is."""
    alice = logged_in("alice")
    first_access = alice.token
    stolen = (alice.refresh_cookie(), alice.csrf_cookie())
    alice.refresh()  # alice rotates first: she now holds a new access and refresh token
    thief = Browser(app.test_client())
    thief.use_refresh_cookie(*stolen)

    assert_401(thief.refresh(), REUSE, "refresh_reused")

    # The kind says why, so the SPA can tell her: "your session was used from elsewhere".
    assert_401(alice.protected(), REVOKED, "refresh_reused")  # her current access token
    assert_401(alice.protected(first_access), REVOKED, "refresh_reused")  # and the older one
    assert_401(alice.refresh(), REVOKED, "refresh_reused")  # her rotated refresh token
    thief.use_refresh_cookie(*stolen)  # the refusal cleared it; the thief sends it again
    assert_401(thief.refresh(), REVOKED, "refresh_reused")


def test_reuse_leaves_the_users_other_sessions_alone(app, logged_in):
    laptop, phone = logged_in("alice"), logged_in("alice")
    stolen = (laptop.refresh_cookie(), laptop.csrf_cookie())
    laptop.refresh()
    thief = Browser(app.test_client())
    thief.use_refresh_cookie(*stolen)
    thief.refresh()

    assert phone.protected().status_code == 200
    assert phone.refresh().status_code == 200


def test_a_failed_refresh_clears_the_cookies(app, logged_in):
    alice = logged_in("alice")
    stolen = (alice.refresh_cookie(), alice.csrf_cookie())
    alice.refresh()
    thief = Browser(app.test_client())
    thief.use_refresh_cookie(*stolen)

    response = thief.refresh()

    assert response.status_code == 401
    cookies = set_cookies(response)
    assert cookies[REFRESH_COOKIE]["value"] == ""
    assert cookies[REFRESH_COOKIE]["path"] == REFRESH_PATH
    assert cookies[CSRF_COOKIE]["value"] == ""
    assert thief.refresh_cookie() is None


def test_refresh_keeps_a_session_alive_past_the_first_tokens_lifetime(app, logged_in):
    with time_machine.travel("2030-01-01 12:00:00+00:00", tick=False) as traveller:
        alice = logged_in("alice")
        traveller.shift(timedelta(days=6))
        assert alice.refresh().status_code == 200
        traveller.shift(timedelta(days=6))  # 12 days after login, 6 after the last refresh
        assert alice.refresh().status_code == 200
        assert alice.protected().status_code == 200


def test_an_expired_refresh_token_is_refused(app, logged_in):
    with time_machine.travel("2030-01-01 12:00:00+00:00", tick=False) as traveller:
        alice = logged_in("alice")
        cookie = (alice.refresh_cookie(), alice.csrf_cookie())
        traveller.shift(timedelta(seconds=604801))
        alice.use_refresh_cookie(*cookie)  # a browser would have dropped it by now; send anyway

        assert_401(alice.refresh(), "Token has expired", "token_expired")


def test_after_expiry_the_access_token_says_so_and_a_refresh_fixes_it(app, logged_in):
    """What the SPA does: "Token has expired" -> refresh once -> retry."""
    with time_machine.travel("2030-01-01 12:00:00+00:00", tick=False) as traveller:
        alice = logged_in("alice")
        traveller.shift(timedelta(seconds=901))
        assert_401(alice.protected(), "Token has expired", "token_expired")

        assert alice.refresh().status_code == 200
        assert alice.protected().status_code == 200


# --- the absolute session lifetime (SESSION_MAX_AGE) --------------------------------------------

SESSION_OVER = "Your session is over: please log in again"


def alice_signed_up(make_app, session_max_age):
    """A browser for alice, signed up on an app whose sessions last `session_max_age` seconds."""
    app = make_app(SESSION_MAX_AGE=session_max_age)
    alice = Browser(app.test_client())
    assert alice.signup().status_code == 201
    return app, alice


def refresh_every_six_days_until(alice, traveller, days):
    for _ in range(days // 6):
        traveller.shift(timedelta(days=6))
        assert alice.refresh().status_code == 200


def test_refreshing_never_takes_a_session_past_its_maximum_age(make_app):
    """A thief who refreshes before the real client does is out after SESSION_MAX_AGE too."""
    _, alice = alice_signed_up(make_app, 30 * 86400)
    with time_machine.travel("2030-01-01 12:00:00+00:00", tick=False) as traveller:
        assert alice.login().status_code == 200
        refresh_every_six_days_until(alice, traveller, 24)
        traveller.shift(timedelta(days=5, hours=23))  # 29 days 23 hours after the login
        response = alice.refresh()
        assert response.status_code == 200
        # Neither token reaches past the session's end, however young the refresh token is.
        end = datetime(2030, 1, 31, 12, tzinfo=UTC).timestamp()
        assert jwt.decode(alice.token, options={"verify_signature": False})["exp"] <= end
        assert response.get_json()["expires_in"] <= 900
        refresh_claims = jwt.decode(alice.refresh_cookie(), options={"verify_signature": False})
        assert refresh_claims["exp"] == end

        traveller.shift(timedelta(hours=1))  # 30 days after the login
        cookie = (alice.refresh_cookie(), alice.csrf_cookie())
        alice.use_refresh_cookie(*cookie)  # a browser would drop it; a thief sends it anyway
        response = alice.refresh()

        assert_401(response, SESSION_OVER, "session_over")
        assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
        assert_401(alice.protected(), "Token has expired", "token_expired")
        assert alice.login().status_code == 200  # logging in again starts a new session


def test_a_lowered_maximum_age_ends_sessions_already_running(make_app):
    app, alice = alice_signed_up(make_app, 30 * 86400)
    with time_machine.travel("2030-01-01 12:00:00+00:00", tick=False) as traveller:
        assert alice.login().status_code == 200
        traveller.shift(timedelta(days=2))
        app.config["SESSION_MAX_AGE"] = 86400  # a day: this session is over

        assert_401(alice.refresh(), SESSION_OVER, "session_over")


def test_a_password_change_keeps_the_sessions_login_time(make_app):
    """The session carrying on after a change is no new login: the clock is not reset."""
    _, alice = alice_signed_up(make_app, 86400)
    with time_machine.travel("2030-01-01 12:00:00+00:00", tick=False) as traveller:
        assert alice.login().status_code == 200
        traveller.shift(timedelta(hours=20))
        assert alice.refresh().status_code == 200
        change = alice.client.post(
            "/api/password",
            json={"current_password": PASSWORD, "new_password": "another good passphrase"},
            headers=alice.headers,
        )
        assert change.status_code == 200
        traveller.shift(timedelta(hours=4, seconds=1))

        assert_401(alice.refresh(), SESSION_OVER, "session_over")


# --- what the refresh endpoint refuses ----------------------------------------------------------


def test_csrf_header_is_required(app, logged_in):
    alice = logged_in("alice")
    response = alice.refresh(csrf=False)
    assert_401(response, "Missing CSRF token", "token_invalid")
    # Refused before anything happened: the real request still works afterwards.
    assert alice.refresh().status_code == 200


def test_a_wrong_csrf_header_is_refused(app, logged_in):
    alice = logged_in("alice")
    response = alice.refresh(csrf="not-the-value-from-the-cookie")
    assert_401(response, "CSRF double submit tokens do not match", "token_invalid")
    assert alice.refresh().status_code == 200


@pytest.mark.parametrize("csrf", ["\u00e9t\u00e9", "caf\u00e9-\u00ff", "\u00a0"])
def test_a_non_ascii_csrf_header_is_refused_not_a_crash(app, logged_in, csrf):
    """The library's constant-time comparison raises on non-ASCII text; we answer 401 first."""
    alice = logged_in("alice")
    response = alice.refresh(csrf=csrf)
    assert_401(response, "CSRF double submit tokens do not match", "token_invalid")
    assert alice.refresh().status_code == 200


@pytest.fixture
def refresh_limit(settings):
    settings["RATELIMIT_REFRESH_PER_SESSION"] = "3/minute"
    return settings


def test_refreshes_are_limited_per_session(refresh_limit, app, logged_in):
    """Each refresh stores a refresh token for days: a script cannot add rows without end."""
    alice = logged_in("alice")
    for _ in range(3):
        assert alice.refresh().status_code == 200

    response = alice.refresh()
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert response.get_json() == {
        "msg": f"Too many attempts, try again in {seconds} seconds",
        "error": "rate_limited",
    }
    assert alice.protected().status_code == 200  # the session itself is untouched
    assert logged_in("alice").refresh().status_code == 200  # another session: its own count


def test_no_cookie_is_401(client):
    response = client.post(REFRESH_PATH, headers={"X-CSRF-TOKEN": "x"})
    assert_401(response, 'Missing cookie "refresh_token_cookie"', "token_missing")


def test_the_refresh_token_is_not_accepted_from_the_authorization_header(app, logged_in):
    alice = logged_in("alice")
    refresh = alice.refresh_cookie()
    fresh_client = app.test_client()  # no cookies

    response = fresh_client.post(REFRESH_PATH, headers={"Authorization": f"Bearer {refresh}"})

    assert_401(response, 'Missing cookie "refresh_token_cookie"', "token_missing")


def test_an_access_token_in_the_refresh_cookie_is_refused(app, logged_in):
    alice = logged_in("alice")
    alice.use_refresh_cookie(alice.token, claims(app, alice.token)["csrf"])
    assert_401(alice.refresh(), "Only refresh tokens are allowed", "token_invalid")


def test_the_refresh_token_is_not_an_access_token(app, logged_in):
    alice = logged_in("alice")
    assert_401(
        alice.protected(alice.refresh_cookie()),
        "Only non-refresh tokens are allowed",
        "token_invalid",
    )


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_post_refreshes(app, logged_in, method):
    alice = logged_in("alice")
    assert getattr(alice.client, method)(REFRESH_PATH).status_code == 405
