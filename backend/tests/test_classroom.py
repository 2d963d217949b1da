"""The room: roles in the token, the teacher's classroom view, and shared demo accounts.

GET /api/classroom/sessions, POST /api/classroom/sessions/<id>/end and
POST /api/classroom/sessions/end-students are for teachers: no token is 401, a valid token
without the role is 403 (the one place a 403 is right). A session the teacher ends is refused
everywhere with "Your session was ended by the teacher".
"""

from datetime import UTC, datetime, timedelta

import jwt
import pytest
import time_machine
from helpers import PASSWORD, Browser, assert_401, statements_sent

from app.extensions import db
from app.models import AuthSession, User

NOT_A_TEACHER = {"msg": "Only a teacher may open the classroom view", "error": "forbidden"}
ENDED = "Your session was ended by the teacher"
SESSIONS = "/api/classroom/sessions"
END_STUDENTS = "/api/classroom/sessions/end-students"
SHARED = {
    "msg": "Demo accounts are shared by the class: their password cannot be changed",
    "error": "shared_account",
}


def end(sid):
    return f"/api/classroom/sessions/{sid}/end"


@pytest.fixture
def seeded(app, runner):
    """The demo accounts, teacher included, as `make run` seeds them."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def teacher(seeded):
    """The demo teacher, logged in in a browser of their own."""
    b = Browser(seeded.test_client())
    assert b.login("teacher", "teacher1234").status_code == 200
    return b


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def sessions_of(browser):
    response = browser.client.get(SESSIONS, headers=browser.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["sessions"]


def row_of(browser, session_owner):
    """The teacher's row for the session `session_owner` (a Browser) is logged in with."""
    sid = claims(session_owner.token)["sid"]
    (row,) = [row for row in sessions_of(browser) if row["id"] == sid]
    return row


def utc(text):
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() == timedelta(0), text
    return moment


# --- Roles in the token ---------------------------------------------------------------------


def test_access_tokens_carry_the_users_role(teacher, logged_in):
    alice = logged_in("alice")

    assert claims(alice.token)["role"] == "student"
    assert claims(teacher.token)["role"] == "teacher"


@pytest.mark.parametrize("route", [("get", SESSIONS), ("post", END_STUDENTS)])
def test_without_a_valid_token_it_is_401_not_403(client, route):
    method, path = route
    missing = getattr(client, method)(path)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"

    bad = getattr(client, method)(path, headers={"Authorization": "Bearer not.a.token"})
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


def test_a_student_gets_403_with_the_reason(teacher, logged_in):
    alice = logged_in("alice")
    teachers_sid = claims(teacher.token)["sid"]

    for response in [
        alice.client.get(SESSIONS, headers=alice.headers),
        alice.client.post(end(teachers_sid), headers=alice.headers),
        alice.client.post(END_STUDENTS, headers=alice.headers),
    ]:
        assert response.status_code == 403
        assert response.get_json() == NOT_A_TEACHER
    assert teacher.protected().status_code == 200  # her attempt ended nothing


def test_editing_the_role_claim_breaks_the_signature(logged_in):
    """The Tamper lab's "make yourself a teacher": the claim is signed with the rest."""
    alice = logged_in("alice")
    header, _payload, signature = alice.token.split(".")
    forged_claims = {**claims(alice.token), "role": "teacher"}
    forged_payload = jwt.utils.base64url_encode(
        jwt.api_jws.json.dumps(forged_claims, separators=(",", ":")).encode()
    ).decode()

    response = alice.client.get(
        SESSIONS, headers={"Authorization": f"Bearer {header}.{forged_payload}.{signature}"}
    )

    assert_401(response, "Signature verification failed", "token_invalid")


def test_a_role_change_reaches_the_token_at_its_next_refresh(app, logged_in):
    alice = logged_in("alice")
    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "alice").values(role="teacher"))
        db.session.commit()

    # The token says what was true when it was made...
    assert alice.client.get(SESSIONS, headers=alice.headers).status_code == 403
    # ...and the refreshed one says what is true now.
    assert alice.refresh().status_code == 200
    assert claims(alice.token)["role"] == "teacher"
    assert alice.client.get(SESSIONS, headers=alice.headers).status_code == 200


# --- The classroom view ----------------------------------------------------------------------


def test_the_teacher_sees_every_session_newest_first(app, teacher, logged_in):
    alice = logged_in("alice")
    bob = logged_in("bob")

    rows = sessions_of(teacher)

    assert [(r["username"], r["role"], r["state"], r["yours"]) for r in rows] == [
        ("bob", "student", "active", False),
        ("alice", "student", "active", False),
        ("teacher", "teacher", "active", True),
    ]
    assert [r["id"] for r in rows[:2]] == [claims(bob.token)["sid"], claims(alice.token)["sid"]]
    row = rows[1]
    assert row["refreshed_at"] is None
    started = utc(row["started_at"])
    assert abs(started - datetime.now(UTC)) < timedelta(minutes=1)
    assert utc(row["access_expires_at"]) == datetime.fromtimestamp(claims(alice.token)["exp"], UTC)


def test_a_refresh_shows_in_the_view(teacher, logged_in):
    alice = logged_in("alice")
    first_expiry = row_of(teacher, alice)["access_expires_at"]

    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=30)):
        assert alice.refresh().status_code == 200
    row = row_of(teacher, alice)

    assert row["refreshed_at"] is not None
    assert utc(row["refreshed_at"]) > utc(row["started_at"])
    assert utc(row["access_expires_at"]) > utc(first_expiry)
    assert utc(row["access_expires_at"]) == datetime.fromtimestamp(claims(alice.token)["exp"], UTC)


def test_the_view_says_how_each_session_ended(app, teacher, logged_in):
    logged_out = logged_in("alice")
    assert logged_out.logout().status_code == 200

    reused = logged_in("bob")
    old_refresh = (reused.refresh_cookie(), reused.csrf_cookie())
    assert reused.refresh().status_code == 200
    reused.use_refresh_cookie(*old_refresh)
    assert reused.refresh().status_code == 401

    elsewhere = logged_in("carol")
    changer = logged_in("carol")
    changed = changer.client.post(
        "/api/password",
        json={"current_password": PASSWORD, "new_password": "carol's new password"},
        headers=changer.headers,
    )
    assert changed.status_code == 200
    changer.token = changed.get_json()["token"]

    ended = logged_in("dave")
    assert (
        teacher.client.post(end(claims(ended.token)["sid"]), headers=teacher.headers).status_code
        == 200
    )

    assert row_of(teacher, logged_out)["state"] == "logged out"
    assert row_of(teacher, reused)["state"] == "reuse detected"
    assert row_of(teacher, elsewhere)["state"] == "revoked"
    assert row_of(teacher, changer)["state"] == "active"
    assert row_of(teacher, ended)["state"] == "ended by teacher"


def test_expired_and_day_old_sessions(settings, seeded, logged_in):
    day_ago = datetime.now(UTC) - timedelta(hours=25)
    with time_machine.travel(day_ago):
        old = logged_in("alice")
        old_and_over = logged_in("carol")
        assert old_and_over.logout().status_code == 200
    with time_machine.travel(datetime.now(UTC) - timedelta(hours=2)):
        expiring = logged_in("bob")
    teacher = Browser(seeded.test_client())
    assert teacher.login("teacher", "teacher1234").status_code == 200
    with seeded.app_context():
        # bob's refresh token (and so his session) ran out an hour ago
        db.session.execute(
            db.text("UPDATE auth_sessions SET expires_at = :t WHERE id = :id"),
            {"t": datetime.now(UTC) - timedelta(hours=1), "id": claims(expiring.token)["sid"]},
        )
        db.session.commit()

    rows = sessions_of(teacher)

    # Still active after a day: listed (End all would end it); over and a day old: not.
    assert row_of(teacher, old)["state"] == "active"
    assert claims(old_and_over.token)["sid"] not in [r["id"] for r in rows]
    assert row_of(teacher, expiring)["state"] == "expired"


def test_ending_a_session_refuses_its_access_and_refresh_tokens_with_the_reason(teacher, logged_in):
    alice = logged_in("alice")
    bob = logged_in("bob")

    response = teacher.client.post(end(claims(alice.token)["sid"]), headers=teacher.headers)

    assert response.status_code == 200
    assert response.get_json() == {"msg": "Session ended"}
    assert_401(alice.protected(), ENDED, "session_ended")
    assert_401(alice.refresh(), ENDED, "session_ended")
    # Nobody else's session: bob and the teacher carry on.
    assert bob.protected().status_code == 200
    assert bob.refresh().status_code == 200
    assert teacher.protected().status_code == 200
    # Ending it again changes nothing.
    again = teacher.client.post(end(claims(alice.token)["sid"]), headers=teacher.headers)
    assert again.status_code == 200
    assert row_of(teacher, alice)["state"] == "ended by teacher"


def test_the_ended_session_check_is_still_one_query(seeded, teacher, logged_in):
    alice = logged_in("alice")
    teacher.client.post(end(claims(alice.token)["sid"]), headers=teacher.headers)
    with seeded.app_context():
        engine = db.engine

    with statements_sent(engine) as statements:
        response = alice.protected()

    assert_401(response, ENDED, "session_ended")
    assert len(statements) == 1, statements


def test_the_teacher_cannot_end_their_own_session_from_the_view(teacher):
    response = teacher.client.post(end(claims(teacher.token)["sid"]), headers=teacher.headers)

    assert response.status_code == 409
    assert response.get_json() == {
        "msg": "That is your own session: use Log out",
        "error": "own_session",
    }
    assert teacher.protected().status_code == 200


@pytest.mark.parametrize(
    "sid",
    [
        "00000000-0000-4000-8000-000000000000",
        "not-a-session",
        "x" * 300,
        "%00",
        "%F0%9F%98%80",
        "1%20or%201=1",
    ],
)
def test_an_unknown_session_is_404(teacher, sid):
    response = teacher.client.post(end(sid), headers=teacher.headers)

    assert response.status_code == 404
    assert response.get_json() == {"msg": "No such session", "error": "not_found"}


def test_end_all_student_sessions_spares_the_teachers(app, runner, teacher, logged_in):
    alice = logged_in("alice")
    alice_again = logged_in("alice")
    bob = logged_in("bob")
    assert bob.logout().status_code == 200  # already over: not counted
    created = runner.invoke(
        args=["create-user", "mr.smith", "--role", "teacher", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )
    assert created.exit_code == 0, created.output
    other_teacher = Browser(app.test_client())
    assert other_teacher.login("mr.smith").status_code == 200

    response = teacher.client.post(END_STUDENTS, headers=teacher.headers)

    assert response.status_code == 200
    assert response.get_json() == {"ended": 2}
    assert_401(alice.protected(), ENDED, "session_ended")
    assert_401(alice_again.refresh(), ENDED, "session_ended")
    assert teacher.protected().status_code == 200
    assert other_teacher.protected().status_code == 200
    assert row_of(teacher, bob)["state"] == "logged out"


# --- Commands: create-user --role, set-role ----------------------------------------------------


def test_create_user_reads_the_password_from_stdin(runner, auth):
    result = runner.invoke(
        args=["create-user", "Ms.Jones", "--role", "teacher", "--password-stdin"],
        input="a long passphrase\n",
    )

    assert result.exit_code == 0, result.output
    assert "role teacher" in result.output
    response = auth.login("ms.jones", "a long passphrase")
    assert claims(response.get_json()["token"])["role"] == "teacher"


def test_create_user_without_a_role_makes_a_student(runner, auth):
    result = runner.invoke(args=["create-user", "pupil", "--password-stdin"], input=f"{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert claims(auth.login("pupil").get_json()["token"])["role"] == "student"


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(
        args=["create-user", "pupil", "--role", "admin", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )

    assert result.exit_code != 0
    assert "admin" in result.output


def test_set_role_demotes_at_once_by_ending_the_users_sessions(app, runner, logged_in):
    runner.invoke(
        args=["create-user", "mr.smith", "--role", "teacher", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )
    smith = Browser(app.test_client())
    assert smith.login("mr.smith").status_code == 200
    assert smith.client.get(SESSIONS, headers=smith.headers).status_code == 200

    result = runner.invoke(args=["set-role", "Mr.Smith", "student"])

    assert result.exit_code == 0, result.output
    assert "1 session(s)" in result.output
    # The old token still says "teacher", but its session is over.
    assert smith.client.get(SESSIONS, headers=smith.headers).status_code == 401
    assert smith.refresh().status_code == 401
    assert smith.login("mr.smith").status_code == 200
    assert smith.client.get(SESSIONS, headers=smith.headers).get_json() == NOT_A_TEACHER


def test_set_role_for_an_unknown_user_fails(runner):
    result = runner.invoke(args=["set-role", "nobody", "teacher"])

    assert result.exit_code != 0
    assert "No such user: nobody" in result.output


def test_seed_demo_gives_the_teacher_back_its_role(seeded, runner):
    with seeded.app_context():
        db.session.execute(db.update(User).where(User.username == "teacher").values(role="student"))
        db.session.commit()

    result = runner.invoke(args=["seed-demo"])

    assert "made teacher a teacher" in result.output
    b = Browser(seeded.test_client())
    assert b.login("teacher", "teacher1234").status_code == 200
    assert b.client.get(SESSIONS, headers=b.headers).status_code == 200


# --- Shared demo accounts ----------------------------------------------------------------------


@pytest.mark.parametrize("account", ["demo", "student", "teacher"])
def test_a_demo_accounts_password_cannot_be_changed(seeded, account):
    password = f"{account}1234"
    changer, classmate = Browser(seeded.test_client()), Browser(seeded.test_client())
    assert changer.login(account, password).status_code == 200
    assert classmate.login(account, password).status_code == 200

    response = changer.client.post(
        "/api/password",
        json={"current_password": password, "new_password": "mine now, all mine"},
        headers=changer.headers,
    )

    assert response.status_code == 403
    assert response.get_json() == SHARED
    # Nobody was logged out, and the class still logs in with the printed password.
    assert classmate.protected().status_code == 200
    assert changer.protected().status_code == 200
    assert Browser(seeded.test_client()).login(account, password).status_code == 200


def test_an_own_account_password_can_still_be_changed(seeded, logged_in):
    alice = logged_in("alice")
    response = alice.client.post(
        "/api/password",
        json={"current_password": PASSWORD, "new_password": "alice's new password"},
        headers=alice.headers,
    )
    assert response.status_code == 200


def test_without_demo_mode_the_demo_names_are_ordinary_accounts(settings, logged_in, app):
    app.config["DEMO_MODE"] = False
    demo = logged_in("demo")

    response = demo.client.post(
        "/api/password",
        json={"current_password": PASSWORD, "new_password": "a new password"},
        headers=demo.headers,
    )

    assert response.status_code == 200


@pytest.fixture
def small_limit(settings):
    settings["RATELIMIT_LOGIN_PER_USERNAME"] = "3/minute"
    return settings


def login_from(app, address, username, password):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client.post("/api/token", json={"username": username, "password": password})


def test_one_students_typos_for_a_demo_account_lock_only_their_address(small_limit, seeded):
    typos = [login_from(seeded, "127.0.0.2", "student", "student123").status_code for _ in range(4)]
    assert typos == [401, 401, 401, 429]

    # A classmate at another address logs in, and even gets their own typos.
    assert login_from(seeded, "127.0.0.3", "student", "student1234").status_code == 200
    assert login_from(seeded, "127.0.0.3", "Student", "oops").status_code == 401
    assert login_from(seeded, "127.0.0.4", "student", "student1234").status_code == 200
    # The typist waits, whatever the spelling of the name.
    assert login_from(seeded, "127.0.0.2", " STUDENT ", "student1234").status_code == 429


def test_an_own_account_is_still_limited_from_every_address(small_limit, seeded, auth):
    auth.signup("alice")
    for address in ["127.0.0.2", "127.0.0.3", "127.0.0.4"]:
        assert login_from(seeded, address, "alice", "wrong password").status_code == 401

    assert login_from(seeded, "127.0.0.5", "alice", PASSWORD).status_code == 429


def test_the_teacher_is_limited_per_account_from_every_address(small_limit, seeded):
    """The teacher is one person: 8 addresses must not get 8 budgets of guesses."""
    for address in ["127.0.0.2", "127.0.0.3", "127.0.0.4"]:
        assert login_from(seeded, address, "teacher", "teacher123").status_code == 401

    assert login_from(seeded, "127.0.0.5", "teacher", "teacher1234").status_code == 429


@pytest.fixture
def lab_user_limit(settings):
    settings.update(
        RATELIMIT_LAB_TOKENS_PER_SESSION="100/minute", RATELIMIT_LAB_TOKENS_PER_USER="2/minute"
    )
    return settings


def lab_visits_from(app, address, username, password, visits):
    """Log in from `address` (a new session each time) and ask the lab once per login."""
    statuses = []
    for _ in range(visits):
        browser = Browser(app.test_client())
        browser.client.environ_base["REMOTE_ADDR"] = address
        assert browser.login(username, password).status_code == 200
        statuses.append(browser.client.post("/api/lab/tokens", headers=browser.headers).status_code)
    return statuses


def test_one_laptop_cannot_use_up_the_lab_for_a_class_on_demo(lab_user_limit, seeded):
    assert lab_visits_from(seeded, "127.0.0.2", "demo", "demo1234", 3) == [200, 200, 429]

    # Classmates on `demo` at other addresses still get their specimens.
    assert lab_visits_from(seeded, "127.0.0.3", "demo", "demo1234", 2) == [200, 200]
    assert lab_visits_from(seeded, "127.0.0.4", "demo", "demo1234", 1) == [200]


def test_the_teachers_lab_limit_is_per_account(lab_user_limit, seeded):
    assert lab_visits_from(seeded, "127.0.0.2", "teacher", "teacher1234", 2) == [200, 200]

    assert lab_visits_from(seeded, "127.0.0.3", "teacher", "teacher1234", 1) == [429]


# --- A crowded server: every active session listed, counts, and `since` ---------------------------


def add_ended_sessions(app, username, how_many):
    """`how_many` sessions of `username` that started and ended in the last hour."""
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        hour_ago = datetime.now(UTC) - timedelta(hours=1)
        for i in range(how_many):
            db.session.add(
                AuthSession(
                    user_id=user.id,
                    created_at=hour_ago + timedelta(seconds=i),
                    expires_at=hour_ago + timedelta(days=7),
                    revoked_at=hour_ago + timedelta(seconds=i),
                    ended_reason="logged out",
                )
            )
        db.session.commit()


def test_an_active_session_stays_in_view_after_250_ended_ones(app, teacher, logged_in):
    with time_machine.travel(datetime.now(UTC) - timedelta(hours=2)):
        alice = logged_in("alice")  # older than every ended session below
        assert alice.refresh().status_code == 200
    add_ended_sessions(app, "student", 250)

    body = teacher.client.get(SESSIONS, headers=teacher.headers).get_json()

    states = [row["state"] for row in body["sessions"]]
    assert row_of(teacher, alice)["state"] == "active"
    assert states[:2] == ["active", "active"]  # alice's and the teacher's own, first
    assert states[2:] == ["logged out"] * 200  # then the newest 200 ended ones
    assert (body["active"], body["active_students"], body["ended"], body["ended_shown"]) == (
        2,
        1,
        250,
        200,
    )


def test_the_count_before_end_all_is_what_end_all_ends(app, teacher, logged_in):
    students = [logged_in("alice"), logged_in("alice"), logged_in("bob")]
    assert students[2].logout().status_code == 200

    count = teacher.client.get(SESSIONS, headers=teacher.headers).get_json()["active_students"]
    ended = teacher.client.post(END_STUDENTS, headers=teacher.headers).get_json()["ended"]

    assert count == ended == 2


def test_end_all_can_spare_the_sessions_of_an_earlier_class(app, teacher, logged_in):
    """Two groups on one server: the teacher ends only the class that started at 10:00."""
    with time_machine.travel(datetime(2030, 1, 1, 8, tzinfo=UTC)):
        morning = logged_in("alice")
    with time_machine.travel(datetime(2030, 1, 1, 10, 5, tzinfo=UTC)):
        this_class = [logged_in("bob"), logged_in("carol")]
        teacher.login("teacher", "teacher1234")
        # 10:00 in Paris is 09:00 UTC: the offset is honoured (+ encoded in the query).
        since = "?since=2030-01-01T10:00:00%2B01:00"
        listed = teacher.client.get(SESSIONS + since, headers=teacher.headers).get_json()
        assert listed["active_students"] == 2
        assert {row["username"] for row in listed["sessions"]} == {"bob", "carol", "teacher"}

        response = teacher.client.post(END_STUDENTS + since, headers=teacher.headers)

        assert response.status_code == 200
        assert response.get_json() == {"ended": 2}
        for student in this_class:
            assert_401(student.protected(), ENDED, "session_ended")
        assert morning.refresh().status_code == 200  # the earlier group carries on


@pytest.mark.parametrize("since", ["yesterday", "2030-01-01T10:00:00", "2030-13-01T10:00:00Z"])
@pytest.mark.parametrize("route", [("get", SESSIONS), ("post", END_STUDENTS)])
def test_a_since_that_is_no_moment_is_400_and_ends_nothing(teacher, logged_in, since, route):
    alice = logged_in("alice")
    method, path = route

    response = getattr(teacher.client, method)(f"{path}?since={since}", headers=teacher.headers)

    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Invalid query",
        "error": "validation_failed",
        "errors": {
            "since": "Use an ISO 8601 date and time with a time zone, e.g. 2026-12-07T09:00:00Z"
        },
    }
    assert alice.protected().status_code == 200
