"""POST /api/signup: creating an account."""

import pytest
from helpers import Browser

from app.extensions import db
from app.models import User


def test_signup_creates_a_user_who_can_log_in(app, auth):
    response = auth.signup("alice", "correct horse")

    assert response.status_code == 201
    body = response.get_json()
    assert body == {"id": body["id"], "username": "alice"}
    assert isinstance(body["id"], int)
    assert auth.login("alice", "correct horse").status_code == 200


def test_the_password_is_stored_as_an_argon2id_hash(app, auth):
    auth.signup("alice", "correct horse")
    with app.app_context():
        user = db.session.scalar(db.select(User))
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash


def test_the_username_is_stored_normalised(auth):
    assert auth.signup("  Alice.B-2_ ").get_json()["username"] == "alice.b-2_"


@pytest.mark.parametrize(
    "second",
    # The same name again, in capitals, with spaces, and in full-width letters (NFKC).
    ["alice", "ALICE", " Alice ", "\uff41\uff4c\uff49\uff43\uff45"],
)
def test_a_taken_username_is_409(auth, second):
    assert auth.signup("alice").status_code == 201

    response = auth.signup(second, "another password")

    assert response.status_code == 409
    assert response.get_json() == {"msg": "Username already taken", "error": "username_taken"}


def test_a_rejected_duplicate_does_not_change_the_first_account(auth):
    auth.signup("alice", "correct horse")
    auth.signup("ALICE", "another password")
    assert auth.login("alice", "correct horse").status_code == 200
    assert auth.login("alice", "another password").status_code == 401


USERNAME_RULE = "Use 3 to 32 characters: letters, digits, _ . or -"
PASSWORD_RULE = "Use 8 to 128 characters"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"username": "ab", "password": "long enough"}, {"username": USERNAME_RULE}),
        ({"username": "a" * 33, "password": "long enough"}, {"username": USERNAME_RULE}),
        ({"username": "al ice", "password": "long enough"}, {"username": USERNAME_RULE}),
        ({"username": "alice!", "password": "long enough"}, {"username": USERNAME_RULE}),
        ({"username": "\u00e1lice", "password": "long enough"}, {"username": USERNAME_RULE}),
        ({"username": "", "password": "long enough"}, {"username": USERNAME_RULE}),
        ({"username": "alice", "password": "short"}, {"password": PASSWORD_RULE}),
        ({"username": "alice", "password": "x" * 129}, {"password": PASSWORD_RULE}),
        ({"username": "alice", "password": ""}, {"password": PASSWORD_RULE}),
        (
            {"username": "ab", "password": "short"},
            {"username": USERNAME_RULE, "password": PASSWORD_RULE},
        ),
        ({"username": 12345, "password": "long enough"}, {"username": "Must be a string"}),
        ({"username": "alice", "password": 12345678}, {"password": "Must be a string"}),
        ({"username": "alice", "password": True}, {"password": "Must be a string"}),
        ({}, {"username": "This field is required", "password": "This field is required"}),
    ],
)
def test_invalid_signup_says_which_field_is_wrong(app, client, body, errors):
    response = client.post("/api/signup", json=body)

    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Invalid signup",
        "error": "validation_failed",
        "errors": errors,
    }
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("password", ["x" * 8, "x" * 128])
def test_password_length_limits_are_inclusive(auth, password):
    assert auth.signup("alice", password).status_code == 201


# --- Passwords nobody should pick (NIST SP 800-63B: commonly used, expected values) ---------------

COMMON = "This password is too common: it is among the first ones attackers try"
APP_WORDS = "This password is this app's name or one of its words: too easy to guess here"
USERNAME = "This password is your username: too easy to guess"


@pytest.mark.parametrize(
    ("username", "password", "why"),
    [
        ("alice", "12345678", COMMON),
        ("alice", "password", COMMON),
        ("alice", "Password1!", COMMON),  # a listed one with digits and symbols around it
        ("alice", "iloveyou", COMMON),
        ("alice", "jwtclassroom", APP_WORDS),
        ("alice", "JWT-Classroom-2026", APP_WORDS),
        ("alice", "student1234", APP_WORDS),
        ("xq.ander", "xq.ander", USERNAME),
        ("xq.ander", "XqAnder-2026", USERNAME),
    ],
)
def test_a_password_anyone_would_try_first_is_refused_saying_why(auth, username, password, why):
    response = auth.signup(username, password)

    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Invalid signup",
        "error": "validation_failed",
        "errors": {"password": why},
    }
    assert auth.login(username, password).status_code == 401  # no account was made


@pytest.mark.parametrize(
    "password", ["correct horse", "my password is long", "alice in the classroom", "Tr0ub4dor&3"]
)
def test_a_phrase_with_a_common_word_in_it_is_fine(auth, password):
    assert auth.signup("alice", password).status_code == 201


def test_the_create_user_command_refuses_a_common_password_too(runner):
    result = runner.invoke(args=["create-user", "pupil", "--password-stdin"], input="12345678\n")

    assert result.exit_code == 1
    assert f"password: {COMMON}" in result.output


def test_the_rule_is_in_the_openapi_document(client):
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["SignupIn"]
    assert "not a commonly used password" in schema["properties"]["password"]["description"]


def test_a_demo_accounts_published_password_is_allowed_for_it_in_demo_mode_only(make_app):
    demo_mode = Browser(make_app(DEMO_MODE=True).test_client())
    assert demo_mode.signup("demo", "demo1234").status_code == 201
    # Another account may not take it: the whole class knows it.
    assert demo_mode.signup("alice", "demo1234").get_json()["errors"] == {"password": COMMON}

    response = Browser(make_app(DEMO_MODE=False).test_client()).signup("demo", "demo1234")

    assert response.get_json() == {
        "msg": "Invalid signup",
        "error": "validation_failed",
        "errors": {"password": COMMON},
    }
