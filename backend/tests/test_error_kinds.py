"""Every error names its kind: `{"msg", "error"}`, the `error` a client branches on.

One table, one row per situation a user can meet; each row builds the situation through the API
(or the CLI, as an operator would) and checks the status, the kind and the lesson's message.
"""

from datetime import timedelta

import jwt
import pytest
import time_machine
from flask import Blueprint
from helpers import PASSWORD, Browser

from app.errors import ErrorKind
from app.extensions import db
from app.models import User

REVOKED = "Token has been revoked"


@pytest.fixture
def alice(logged_in):
    return logged_in("alice")


# --- 401: the situations, each returning the response to check ----------------------------------


def no_token(app, alice):
    return app.test_client().get("/api/protected")


def no_refresh_cookie(app, alice):
    return Browser(app.test_client()).refresh(csrf="anything")


def tampered(app, alice):
    header, _payload, signature = alice.token.split(".")
    claims = jwt.decode(alice.token, options={"verify_signature": False})
    claims["sub"] = "2"
    forged = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(claims).encode()).decode()
    return alice.protected(f"{header}.{forged}.{signature}")


def refresh_token_as_access_token(app, alice):
    return alice.protected(alice.refresh_cookie())


def missing_csrf_header(app, alice):
    return alice.refresh(csrf=False)


def wrong_csrf_header(app, alice):
    return alice.refresh(csrf="not-the-value-of-the-cookie")


def expired(app, alice):
    with time_machine.travel(timedelta(seconds=901)):
        return alice.protected()


def logged_out(app, alice):
    token = alice.token
    assert alice.logout().status_code == 200
    return alice.protected(token)


def password_changed_elsewhere(app, alice):
    elsewhere = Browser(app.test_client())
    assert elsewhere.login().status_code == 200
    change = elsewhere.client.post(
        "/api/password",
        json={"current_password": PASSWORD, "new_password": "another good passphrase"},
        headers=elsewhere.headers,
    )
    assert change.status_code == 200
    return alice.protected()


def role_changed(app, alice):
    result = app.test_cli_runner().invoke(args=["set-role", "alice", "teacher"])
    assert result.exit_code == 0, result.output
    return alice.protected()


def ended_by_the_teacher(app, alice):
    return _end_alices_session(app, alice).protected()


def ended_by_the_teacher_then_refresh(app, alice):
    return _end_alices_session(app, alice).refresh()


def _end_alices_session(app, alice):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    teacher = Browser(app.test_client())
    assert teacher.login("teacher", "teacher1234").status_code == 200
    ended = teacher.client.post("/api/classroom/sessions/end-students", headers=teacher.headers)
    assert ended.get_json() == {"ended": 1}
    return alice


def session_over(app, alice):
    app.config["SESSION_MAX_AGE"] = 3600  # shorter than the refresh token's 7 days
    assert alice.login().status_code == 200  # a session that ends in an hour
    with time_machine.travel(timedelta(hours=1, seconds=1)):
        return alice.refresh()


def refresh_token_used_twice(app, alice):
    stolen = (alice.refresh_cookie(), alice.csrf_cookie())
    assert alice.refresh().status_code == 200
    thief = Browser(app.test_client())
    thief.use_refresh_cookie(*stolen)
    return thief.refresh()


def access_token_after_a_reuse(app, alice):
    assert refresh_token_used_twice(app, alice).status_code == 401
    return alice.protected()


def deleted_user(app, alice):
    with app.app_context():
        db.session.delete(db.session.scalar(db.select(User).where(User.username == "alice")))
        db.session.commit()
    return alice.protected()


def wrong_password(app, alice):
    return Browser(app.test_client()).login("alice", "not her password")


def unknown_user(app, alice):
    return Browser(app.test_client()).login("nobody", PASSWORD)


UNAUTHORIZED = [
    (no_token, "Missing Authorization Header", "token_missing"),
    (no_refresh_cookie, 'Missing cookie "refresh_token_cookie"', "token_missing"),
    (tampered, "Signature verification failed", "token_invalid"),
    (refresh_token_as_access_token, "Only non-refresh tokens are allowed", "token_invalid"),
    (missing_csrf_header, "Missing CSRF token", "token_invalid"),
    (wrong_csrf_header, "CSRF double submit tokens do not match", "token_invalid"),
    (expired, "Token has expired", "token_expired"),
    (logged_out, REVOKED, "token_revoked"),
    (password_changed_elsewhere, REVOKED, "token_revoked"),
    (role_changed, REVOKED, "token_revoked"),
    (ended_by_the_teacher, "Your session was ended by the teacher", "session_ended"),
    (ended_by_the_teacher_then_refresh, "Your session was ended by the teacher", "session_ended"),
    (session_over, "Your session is over: please log in again", "session_over"),
    (
        refresh_token_used_twice,
        "Refresh token reuse detected; the session has been revoked",
        "refresh_reused",
    ),
    (access_token_after_a_reuse, REVOKED, "refresh_reused"),
    (deleted_user, "User not found", "user_not_found"),
    (wrong_password, "Bad username or password", "bad_credentials"),
    (unknown_user, "Bad username or password", "bad_credentials"),
]


@pytest.mark.parametrize(
    ("situation", "msg", "kind"), UNAUTHORIZED, ids=[row[0].__name__ for row in UNAUTHORIZED]
)
def test_every_401_names_its_kind(app, alice, situation, msg, kind):
    response = situation(app, alice)

    assert response.status_code == 401, response.get_json()
    assert response.get_json() == {"msg": msg, "error": kind}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --- Other statuses ------------------------------------------------------------------------------


def a_short_password(app, alice):
    return app.test_client().post("/api/signup", json={"username": "bob", "password": "short"})


def not_json(app, alice):
    return app.test_client().post("/api/token", data="username=alice", content_type="text/plain")


def a_student_at_the_classroom(app, alice):
    return alice.client.get("/api/classroom/sessions", headers=alice.headers)


def a_demo_accounts_password(app, alice):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    demo = Browser(app.test_client())
    assert demo.login("demo", "demo1234").status_code == 200
    return demo.client.post(
        "/api/password",
        json={"current_password": "demo1234", "new_password": "another good passphrase"},
        headers=demo.headers,
    )


def no_such_route(app, alice):
    return app.test_client().get("/api/nope")


def no_such_session(app, alice):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    teacher = Browser(app.test_client())
    assert teacher.login("teacher", "teacher1234").status_code == 200
    path = "/api/classroom/sessions/00000000-0000-0000-0000-000000000000/end"
    return teacher.client.post(path, headers=teacher.headers)


def wrong_method(app, alice):
    return app.test_client().get("/api/token")


def a_taken_username(app, alice):
    return alice.signup("alice", "another good passphrase")


def a_body_over_16_kib(app, alice):
    return app.test_client().post("/api/token", json={"username": "a", "password": "x" * 20000})


def too_many_failed_logins(app, alice):
    browser = Browser(app.test_client())
    for _ in range(5):
        assert browser.login("alice", "not her password").status_code == 401
    return browser.login("alice", "not her password")


def headers_over_16_kib(app, alice):
    return app.test_client().get("/api/health", headers={"X-Padding": "x" * 17000})


OTHER_STATUSES = [
    (a_short_password, 400, "validation_failed"),
    (not_json, 400, "body_not_json"),
    (a_student_at_the_classroom, 403, "forbidden"),
    (a_demo_accounts_password, 403, "shared_account"),
    (no_such_route, 404, "not_found"),
    (no_such_session, 404, "not_found"),
    (wrong_method, 405, "method_not_allowed"),
    (a_taken_username, 409, "username_taken"),
    (a_body_over_16_kib, 413, "body_too_large"),
    (too_many_failed_logins, 429, "rate_limited"),
    (headers_over_16_kib, 431, "headers_too_large"),
]


@pytest.mark.parametrize(
    ("situation", "status", "kind"), OTHER_STATUSES, ids=[row[0].__name__ for row in OTHER_STATUSES]
)
def test_every_other_error_names_its_kind(app, alice, situation, status, kind):
    response = situation(app, alice)

    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["error"] == kind
    assert body["msg"]


def test_a_crash_names_its_kind(make_app):
    app = make_app(schema=None, PROPAGATE_EXCEPTIONS=False)
    bp = Blueprint("crash", __name__)

    @bp.get("/crash")
    def crash():
        raise RuntimeError("a bug")

    app.register_blueprint(bp, url_prefix="/api")

    response = app.test_client().get("/api/crash")

    assert response.status_code == 500
    assert response.get_json() == {"msg": "Internal server error", "error": "internal_error"}


def test_the_kinds_are_the_shared_vocabulary():
    """The 401 kinds the SPA relies on are exactly these: renaming one breaks the client."""
    assert {kind.value for kind in ErrorKind} >= {
        "token_missing",
        "token_invalid",
        "token_expired",
        "token_revoked",
        "refresh_reused",
        "session_ended",
        "session_over",
        "user_not_found",
        "key_retired",
        "bad_credentials",
    }
