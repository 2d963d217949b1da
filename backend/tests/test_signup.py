"""POST /api/signup: creating an account."""

import pytest

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
    assert response.get_json() == {"msg": "Username already taken"}


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
    assert response.get_json() == {"msg": "Invalid signup", "errors": errors}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("password", ["x" * 8, "x" * 128])
def test_password_length_limits_are_inclusive(auth, password):
    assert auth.signup("alice", password).status_code == 201
