"""`flask seed-demo` and `flask create-user`."""

import os
import stat

import pytest
from helpers import Browser, assert_401

from app.extensions import db
from app.models import User


def usernames(app):
    with app.app_context():
        return sorted(db.session.scalars(db.select(User.username)))


def test_seed_demo_is_idempotent(app, runner, auth):
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])

    assert first.exit_code == 0
    assert second.exit_code == 0
    assert usernames(app) == ["demo", "student", "teacher"]
    assert "created demo" in first.output
    assert "created" not in second.output
    assert "demo / demo1234" in second.output
    assert "student / student1234" in second.output
    assert "teacher / teacher1234" in second.output
    assert auth.login("demo", "demo1234").status_code == 200
    assert auth.login("student", "student1234").status_code == 200
    assert auth.login("teacher", "teacher1234").status_code == 200


def test_seed_demo_restores_a_changed_demo_password(app, runner, auth):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "demo"))
        user.password = "something else"
        db.session.commit()

    result = runner.invoke(args=["seed-demo"])

    assert "reset the password of demo" in result.output
    assert auth.login("demo", "demo1234").status_code == 200


def test_seed_demo_does_nothing_when_demo_mode_is_off(make_app):
    app = make_app(DEMO_MODE=False)

    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code == 0
    assert "DEMO_MODE is off" in result.output
    assert usernames(app) == []


def test_create_user_with_a_password_option(runner, auth):
    result = runner.invoke(args=["create-user", "Teacher", "--password", "correct horse"])
    assert result.exit_code == 0, result.output
    assert "Created user teacher" in result.output
    assert auth.login("teacher", "correct horse").status_code == 200


def test_create_user_prompts_twice_for_the_password(runner, auth):
    result = runner.invoke(args=["create-user", "teacher"], input="correct horse\ncorrect horse\n")
    assert result.exit_code == 0, result.output
    assert auth.login("teacher", "correct horse").status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-user", "ab", "--password", "correct horse"], "username: Use 3 to 32"),
        (["create-user", "teacher", "--password", "short"], "password: Use 8 to 128"),
    ],
)
def test_create_user_applies_the_signup_rules(app, runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert message in result.output
    assert usernames(app) == []


def test_create_user_refuses_a_taken_name(runner):
    runner.invoke(args=["create-user", "teacher", "--password", "correct horse"])
    result = runner.invoke(args=["create-user", "TEACHER", "--password", "correct horse"])
    assert result.exit_code == 1
    assert "Username already taken: teacher" in result.output


def test_reset_demo_leaves_only_the_demo_accounts_on_a_migrated_schema(app, runner, auth):
    runner.invoke(args=["seed-demo"])
    auth.signup("someone", "correct horse")
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "demo"))
        user.password = "changed by a student"
        db.session.commit()

    result = runner.invoke(args=["reset-demo"])

    assert result.exit_code == 0, result.output
    tables = sorted(db.metadata.tables)  # what the `app` fixture's create_all() made
    assert f"dropped {len(tables)} table(s): {', '.join(tables)}" in result.output
    assert "rebuilt the schema" in result.output
    assert "created demo" in result.output
    assert usernames(app) == ["demo", "student", "teacher"]
    assert auth.login("demo", "demo1234").status_code == 200
    assert auth.login("someone", "correct horse").status_code == 401
    # Built by the migrations (which record their version), not by create_all().
    with app.app_context():
        assert db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()


def test_reset_demo_twice_drops_the_migrated_tables_too(app, runner):
    runner.invoke(args=["reset-demo"])

    second = runner.invoke(args=["reset-demo"])

    assert second.exit_code == 0, second.output
    assert "alembic_version" in second.output
    assert usernames(app) == ["demo", "student", "teacher"]


def test_reset_demo_is_refused_in_production(app, runner):
    app.config["APP_ENV"] = "production"

    result = runner.invoke(args=["reset-demo"])

    assert result.exit_code != 0
    assert "refused in production" in result.output
    assert usernames(app) == []


def test_gen_secret_prints_a_new_random_key_each_time(runner):
    keys = {runner.invoke(args=["gen-secret"]).output.strip() for _ in range(5)}
    assert len(keys) == 5
    assert all(len(key) == 64 and key.replace("-", "").replace("_", "").isalnum() for key in keys)


def test_a_room_teacher_gets_a_private_password_shown_only_on_the_terminal(make_app):
    """`make room` sets DEMO_TEACHER_PASSWORD: students on the network must not read it."""
    app = make_app(DEMO_TEACHER_PASSWORD="only-the-teacher-knows")
    client = app.test_client()

    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert "teacher / only-the-teacher-knows  (the teacher's: not on the login page)" in (
        result.output
    )
    listed = client.get("/api/demo").get_json()["accounts"]
    assert [account["username"] for account in listed] == ["demo", "student"]
    body = {"username": "teacher", "password": "teacher1234"}
    assert client.post("/api/token", json=body).status_code == 401
    body["password"] = "only-the-teacher-knows"
    login = client.post("/api/token", json=body)
    assert login.status_code == 200
    assert login.get_json()["token"]


def test_a_new_room_teacher_password_ends_every_session_of_the_old_one(make_app):
    """Whoever once saw the projected password must not stay teacher for the next class."""
    first = make_app(DEMO_TEACHER_PASSWORD="last-weeks-password")
    assert first.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    old_teacher = Browser(first.test_client())
    assert old_teacher.login("teacher", "last-weeks-password").status_code == 200
    old_cookie = (old_teacher.refresh_cookie(), old_teacher.csrf_cookie())

    # The next `make room`: the same database, a new teacher password.
    second = make_app(schema=None, DEMO_TEACHER_PASSWORD="this-weeks-password")
    result = second.test_cli_runner().invoke(args=["seed-demo"])

    assert "reset the password of teacher (1 session(s) ended)" in result.output
    old_teacher.client = second.test_client()
    assert_401(
        old_teacher.client.get("/api/classroom/sessions", headers=old_teacher.headers),
        "Token has been revoked",
        "token_revoked",
    )
    old_teacher.use_refresh_cookie(*old_cookie)
    assert_401(old_teacher.refresh(), "Token has been revoked", "token_revoked")
    assert Browser(second.test_client()).login("teacher", "this-weeks-password").status_code == 200


def test_seeding_the_same_teacher_password_again_ends_no_session(make_app):
    app = make_app(DEMO_TEACHER_PASSWORD="this-weeks-password")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    teacher = Browser(app.test_client())
    assert teacher.login("teacher", "this-weeks-password").status_code == 200

    result = runner.invoke(args=["seed-demo"])

    assert "reset the password" not in result.output
    assert teacher.protected().status_code == 200


# --- The room's teacher password: kept across restarts, printed again on demand -------------------


def test_the_room_teacher_password_is_the_same_after_a_restart(make_app, settings):
    first = make_app().test_cli_runner().invoke(args=["teacher-password"])
    again = make_app(schema=None).test_cli_runner().invoke(args=["teacher-password"])

    assert first.exit_code == again.exit_code == 0
    password = first.stdout.strip()
    assert len(password) >= 12 and "\n" not in password
    assert again.stdout.strip() == password  # only the password on stdout: `make room` reads it
    kept = settings["TEACHER_PASSWORD_FILE"]
    assert kept.read_text() == password
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600  # only its owner can read it
    assert str(kept) in first.stderr
    assert "make room NEW_TEACHER_PASSWORD=1" in first.stderr


def test_a_new_room_teacher_password_can_be_asked_for(make_app):
    runner = make_app().test_cli_runner()
    old = runner.invoke(args=["teacher-password"]).stdout.strip()

    new = runner.invoke(args=["teacher-password", "--new"]).stdout.strip()

    assert new != old
    assert runner.invoke(args=["teacher-password"]).stdout.strip() == new


def test_a_chosen_teacher_password_is_the_one_kept(make_app, settings):
    app = make_app(DEMO_TEACHER_PASSWORD="our-own-room-passphrase")

    result = app.test_cli_runner().invoke(args=["teacher-password"])

    assert result.stdout.strip() == "our-own-room-passphrase"
    assert settings["TEACHER_PASSWORD_FILE"].read_text() == "our-own-room-passphrase"


def test_reset_demo_forgets_the_room_teacher_password(make_app, settings):
    runner = make_app().test_cli_runner()
    old = runner.invoke(args=["teacher-password"]).stdout.strip()

    result = runner.invoke(args=["reset-demo"])

    assert "forgot the room's teacher password" in result.output
    assert not settings["TEACHER_PASSWORD_FILE"].exists()
    assert runner.invoke(args=["teacher-password"]).stdout.strip() != old
