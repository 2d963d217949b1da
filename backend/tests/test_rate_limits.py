"""Rate limits: failed logins per username and per address, signups per address, and the 429."""

import uuid
from datetime import timedelta

import pytest
import redis
import time_machine
from helpers import all_at_once, post_json, serving

from app.extensions import db
from app.models import User

WRONG = "wrong password"


@pytest.fixture
def limits(settings):
    """Small limits, so a test reaches them in a few requests."""
    settings.update(
        RATELIMIT_LOGIN_PER_USERNAME="3/minute",
        RATELIMIT_LOGIN_PER_ADDRESS="100/minute",
        RATELIMIT_SIGNUP_PER_ADDRESS="100/hour",
    )
    return settings


def assert_too_many(response, window=60):
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= window
    assert response.get_json() == {
        "msg": f"Too many attempts, try again in {seconds} seconds",
        "error": "rate_limited",
    }


def test_failed_logins_for_one_username_are_limited(limits, auth):
    auth.signup("alice")
    for _ in range(3):
        assert auth.login("alice", WRONG).status_code == 401

    assert_too_many(auth.login("alice", WRONG))
    # Locked for the rest of the window, even with the right password: that is the point.
    assert_too_many(auth.login("alice"))


def test_the_lock_ends_when_the_window_does(limits, auth):
    auth.signup("alice")
    with time_machine.travel("2030-01-01 12:00:00+00:00", tick=False) as traveller:
        for _ in range(3):
            auth.login("alice", WRONG)
        assert auth.login("alice").status_code == 429

        traveller.shift(timedelta(seconds=61))
        assert auth.login("alice").status_code == 200


def test_successful_logins_are_never_counted(limits, auth):
    auth.signup("alice")
    # A class of students all logging in as the demo user at once.
    for _ in range(10):
        assert auth.login("alice").status_code == 200


def test_spellings_of_one_username_share_one_count(limits, auth):
    auth.signup("alice")
    for typed in ["ALICE", " alice ", "\uff41\uff4c\uff49\uff43\uff45"]:
        assert auth.login(typed, WRONG).status_code == 401
    assert auth.login("alice", WRONG).status_code == 429


def test_another_username_is_not_locked(limits, auth):
    auth.signup("alice")
    auth.signup("bob")
    for _ in range(3):
        auth.login("alice", WRONG)
    assert auth.login("alice").status_code == 429
    assert auth.login("bob").status_code == 200


def test_unknown_usernames_are_limited_like_real_ones(limits, auth):
    # Otherwise the 429 itself would tell which usernames exist.
    for _ in range(3):
        assert auth.login("nobody", WRONG).status_code == 401
    assert_too_many(auth.login("nobody", WRONG))


def test_bad_bodies_are_not_counted(limits, client, auth):
    auth.signup("alice")
    for _ in range(5):
        assert client.post("/api/token", json={"username": "alice"}).status_code == 400
    assert auth.login("alice").status_code == 200


@pytest.fixture
def address_limits(settings):
    settings.update(
        RATELIMIT_LOGIN_PER_USERNAME="100/minute", RATELIMIT_LOGIN_PER_ADDRESS="3/minute"
    )
    return settings


def test_failed_logins_from_one_address_are_limited(address_limits, auth):
    for name in ["ann", "ben", "cid"]:
        assert auth.login(name, WRONG).status_code == 401
    assert_too_many(auth.login("dan", WRONG))


def login_from(client, forwarded_for, username):
    return client.post(
        "/api/token",
        json={"username": username, "password": WRONG},
        headers={"X-Forwarded-For": forwarded_for},
    )


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(address_limits, client):
    # A client that invents a new address for each attempt is still the same client.
    for i in range(3):
        assert login_from(client, f"203.0.113.{i}", f"user{i}").status_code == 401
    assert login_from(client, "203.0.113.99", "user99").status_code == 429


@pytest.fixture
def behind_one_proxy(address_limits):
    address_limits["PROXY_FIX_X_FOR"] = 1
    return address_limits


def test_behind_a_trusted_proxy_each_client_has_its_own_count(behind_one_proxy, client):
    for i in range(3):
        assert login_from(client, "203.0.113.1", f"user{i}").status_code == 401
    assert login_from(client, "203.0.113.1", "user3").status_code == 429
    assert login_from(client, "203.0.113.2", "user4").status_code == 401


def test_behind_a_trusted_proxy_only_the_address_it_saw_counts(behind_one_proxy, client):
    # The proxy appends the address it saw; whatever the client wrote before that is ignored.
    for i in range(3):
        assert login_from(client, f"10.9.9.{i}, 203.0.113.1", f"user{i}").status_code == 401
    assert login_from(client, "10.9.9.99, 203.0.113.1", "user9").status_code == 429


@pytest.fixture
def signup_limit(settings):
    settings["RATELIMIT_SIGNUP_PER_ADDRESS"] = "3/hour"
    return settings


def test_signups_from_one_address_are_limited(signup_limit, auth):
    assert auth.signup("ann").status_code == 201
    assert auth.signup("ben").status_code == 201
    assert auth.signup("ann").status_code == 409  # taken: still cost a password hash
    assert_too_many(auth.signup("dan"), window=3600)


def test_invalid_signups_are_not_counted(signup_limit, auth):
    for _ in range(5):
        assert auth.signup("x").status_code == 400  # rejected before any hashing
    assert auth.signup("ann").status_code == 201


@pytest.fixture
def limits_off(limits):
    limits["RATELIMIT_ENABLED"] = False  # what the fuzzer's server uses (RATELIMIT_ENABLED=0)
    return limits


def test_limits_can_be_switched_off(limits_off, auth):
    for _ in range(5):
        assert auth.login("nobody", WRONG).status_code == 401


REDIS_URL = "redis://127.0.0.1:6379"


def redis_is_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_is_up(), reason=f"no Redis server at {REDIS_URL}")
def test_with_redis_the_count_is_shared_between_processes(settings, make_app):
    """Two app instances (two server processes, say) on one Redis see the same count."""
    username = f"u{uuid.uuid4().hex[:12]}"  # Redis outlives the test: a name no run has used
    settings.update(
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_LOGIN_PER_USERNAME="3/minute",
        RATELIMIT_LOGIN_PER_ADDRESS="1000/minute",
    )
    body = {"username": username, "password": WRONG}

    first = make_app()
    for _ in range(2):
        assert first.test_client().post("/api/token", json=body).status_code == 401

    second = make_app(schema=None)  # a fresh limiter storage: only Redis remembers
    assert second.test_client().post("/api/token", json=body).status_code == 401
    assert second.test_client().post("/api/token", json=body).status_code == 429


def change_password(client, headers, current):
    return client.post(
        "/api/password",
        json={"current_password": current, "new_password": "a brand new one"},
        headers=headers,
    )


def test_wrong_current_passwords_count_like_failed_logins(limits, logged_in, auth, client):
    """Someone holding a stolen token must not get unlimited guesses at the password."""
    headers = logged_in("alice").headers
    for _ in range(2):
        assert change_password(client, headers, WRONG).status_code == 400
    assert auth.login("alice", WRONG).status_code == 401  # the third guess, at login

    assert_too_many(change_password(client, headers, WRONG))
    assert_too_many(auth.login("alice"))


def test_other_password_change_mistakes_are_not_guesses(limits, logged_in, client):
    headers = logged_in("alice").headers
    for _ in range(5):
        response = client.post(
            "/api/password",
            json={"current_password": "correct horse", "new_password": "short"},
            headers=headers,
        )
        assert response.get_json()["errors"] == {"new_password": "Use 8 to 128 characters"}
    assert change_password(client, headers, "correct horse").status_code == 200


# --- Bursts: many requests at the same moment, against a real multi-threaded server ------------
#
# A limit that checks the count when a request arrives and adds to it after the response lets a
# whole burst through the check before the first one is counted. These count first.


@pytest.fixture(params=["memory", "redis"])
def storage_uri(request):
    if request.param == "redis" and not redis_is_up():
        pytest.skip(f"no Redis server at {REDIS_URL}")
    return "memory://" if request.param == "memory" else REDIS_URL


@pytest.fixture
def two_servers(settings, storage_uri, make_app):
    """Two app instances on one database and one limiter storage, each behind its own server:
    two server processes, say. With memory:// they are one app behind two servers (two apps
    would each count in their own memory, as two processes do)."""
    settings.update(
        RATELIMIT_STORAGE_URI=storage_uri,
        # Redis outlives the test: keys of our own, so no earlier run (or other test) counts.
        RATELIMIT_KEY_PREFIX=uuid.uuid4().hex,
        RATELIMIT_LOGIN_PER_USERNAME="5/minute",
        RATELIMIT_LOGIN_PER_ADDRESS="1000/minute",
        RATELIMIT_SIGNUP_PER_ADDRESS="5/hour",
        # werkzeug's test server runs a thread per request: a place in the hashing queue for
        # each request of a burst, as a server with that many threads (app/passwords.py).
        PASSWORD_HASH_QUEUE=30,
    )
    first = make_app()
    second = make_app(schema=None) if storage_uri != "memory://" else first
    with serving(first) as port_a, serving(second) as port_b:
        yield first, [port_a, port_b]


def burst(ports, path, bodies):
    """POST every body at once, alternating between the two servers; return the statuses."""
    calls = [
        (lambda port=ports[i % 2], body=body: post_json(port, path, body)[0])
        for i, body in enumerate(bodies)
    ]
    return all_at_once(calls)


def test_a_burst_of_wrong_passwords_gets_only_the_limit_of_checks(two_servers, verify_calls):
    _, ports = two_servers
    assert post_json(ports[0], "/api/signup", {"username": "alice", "password": WRONG + "!"})[0]
    verify_calls.clear()

    statuses = burst(ports, "/api/token", [{"username": "alice", "password": WRONG}] * 30)

    assert sorted(statuses) == [401] * 5 + [429] * 25
    assert len(verify_calls) == 5  # no sixth hash was ever computed


def test_the_right_password_in_a_burst_does_not_add_guesses(two_servers, verify_calls):
    _, ports = two_servers
    post_json(ports[0], "/api/signup", {"username": "alice", "password": "correct horse"})
    verify_calls.clear()
    bodies = [{"username": "alice", "password": WRONG}] * 29
    bodies.insert(15, {"username": "alice", "password": "correct horse"})

    statuses = burst(ports, "/api/token", bodies)

    # Five guesses were checked, whatever the timing; the right password was checked too only if
    # it came in before they were spent (then its count was given back).
    assert statuses.count(401) == 5
    assert statuses.count(200) in (0, 1)
    assert statuses.count(429) == 30 - 5 - statuses.count(200)
    assert len(verify_calls) == 5 + statuses.count(200)


def test_a_class_logging_in_to_one_account_at_once_is_never_refused(two_servers):
    """Twenty students typing the demo password at the same moment: all are let in, although
    only five checks of one username may be in flight; the others wait their turn."""
    _, ports = two_servers
    post_json(ports[0], "/api/signup", {"username": "demo", "password": "demo1234"})

    statuses = burst(ports, "/api/token", [{"username": "demo", "password": "demo1234"}] * 20)

    assert statuses == [200] * 20


def test_a_burst_of_signups_creates_only_the_limit_of_accounts(two_servers):
    app, ports = two_servers
    bodies = [{"username": f"bot{i:02d}", "password": "long enough"} for i in range(20)]

    statuses = burst(ports, "/api/signup", bodies)

    assert sorted(statuses) == [201] * 5 + [429] * 15
    with app.app_context():
        assert len(db.session.scalars(db.select(User)).all()) == 5


def test_a_burst_of_wrong_current_passwords_gets_only_the_limit_of_checks(
    two_servers, verify_calls
):
    _, ports = two_servers
    body = {"username": "alice", "password": "correct horse"}
    post_json(ports[0], "/api/signup", body)
    headers = {"Authorization": f"Bearer {post_json(ports[0], '/api/token', body)[1]['token']}"}
    verify_calls.clear()
    guess = {"current_password": WRONG, "new_password": "a brand new one"}

    calls = [
        (lambda port=ports[i % 2]: post_json(port, "/api/password", guess, headers)[0])
        for i in range(20)
    ]
    statuses = all_at_once(calls)

    assert sorted(statuses) == [400] * 5 + [429] * 15
    assert len(verify_calls) == 5


@pytest.fixture
def redis_gone(limits):
    limits["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1"  # nothing listens on port 1
    return limits


def test_without_its_redis_the_limit_still_holds_in_memory(redis_gone, auth, caplog):
    """Redis unreachable: this process counts in memory instead, and nobody gets a 500."""
    assert auth.signup("alice").status_code == 201
    for _ in range(3):
        assert auth.login("alice", WRONG).status_code == 401
    assert_too_many(auth.login("alice", WRONG))
    assert auth.login("bob", WRONG).status_code == 401
    assert "counting in memory" in caplog.text
