"""POST /api/token: logging in."""

import jwt
import pytest
from argon2 import PasswordHasher, Type
from helpers import current_key, decode

from app.extensions import db
from app.models import User


def test_login_returns_a_token_for_the_user(app, auth):
    user_id = auth.signup().get_json()["id"]

    response = auth.login()

    assert response.status_code == 200
    body = response.get_json()
    assert body["user_id"] == user_id
    assert body["expires_in"] == 900
    claims = decode(app, body["token"])
    # The lesson's integer identity is rejected by PyJWT; sub must be the id as a string.
    assert claims["sub"] == str(user_id)
    assert claims["type"] == "access"
    assert claims["exp"] - claims["iat"] == 900
    header = jwt.get_unverified_header(body["token"])
    assert header["alg"] == app.config["JWT_ALGORITHM"]  # JWT_SIGNING's
    assert header["kid"] == current_key(app).kid
    assert (claims["iss"], claims["aud"]) == ("jwt-classroom", "jwt-classroom-api")


@pytest.fixture
def short_ttl(settings):
    settings["ACCESS_TOKEN_TTL"] = 30  # what classroom demos use


def test_token_lifetime_follows_access_token_ttl(short_ttl, app, auth):
    auth.signup()
    body = auth.login().get_json()
    claims = decode(app, body["token"])
    assert body["expires_in"] == 30
    assert claims["exp"] - claims["iat"] == 30


# "\uff21\uff4c..." is "Alice" in full-width letters, which NFKC turns into plain "Alice".
@pytest.mark.parametrize("typed", ["ALICE", "  alice  ", "\uff21\uff4c\uff49\uff43\uff45"])
def test_username_is_matched_like_at_signup(auth, typed):
    auth.signup("alice")
    assert auth.login(typed).status_code == 200


def test_unknown_user_and_wrong_password_look_identical(auth):
    auth.signup("alice", "correct horse")

    unknown = auth.login("nobody", "correct horse")
    wrong = auth.login("alice", "wrong password")

    for response in (unknown, wrong):
        assert response.status_code == 401
        assert response.get_json() == {
            "msg": "Bad username or password",
            "error": "bad_credentials",
        }
    assert unknown.get_data() == wrong.get_data()
    assert sorted(unknown.headers.items()) == sorted(wrong.headers.items())
    assert unknown.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("username", "password"),
    [("nobody", "correct horse"), ("alice", "wrong password"), ("alice", "correct horse")],
    ids=["unknown user", "wrong password", "right password"],
)
def test_every_login_runs_exactly_one_argon2_verification(auth, verify_calls, username, password):
    auth.signup("alice", "correct horse")

    auth.login(username, password)

    # Same work on every path, so response time does not reveal whether the user exists.
    assert len(verify_calls) == 1


def test_unknown_user_is_checked_against_a_real_argon2id_hash(auth, verify_calls):
    auth.login("nobody", "whatever1")
    assert verify_calls[0].startswith("$argon2id$")


def test_login_upgrades_an_outdated_hash(app, auth):
    auth.signup("alice", "correct horse")
    # An older argon2 variant (argon2i): still accepted, but replaced by argon2id on login.
    outdated = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.I)
    with app.app_context():
        user = db.session.scalar(db.select(User))
        user.password_hash = outdated.hash("correct horse")
        db.session.commit()
        old_hash = user.password_hash

    assert auth.login("alice", "correct horse").status_code == 200

    with app.app_context():
        new_hash = db.session.scalar(db.select(User)).password_hash
    assert old_hash.startswith("$argon2i$")
    assert new_hash.startswith("$argon2id$")
    assert auth.login("alice", "correct horse").status_code == 200


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"password": "x"}, {"username": "This field is required"}),
        ({"username": "alice"}, {"password": "This field is required"}),
        ({"username": 123, "password": "x"}, {"username": "Must be a string"}),
        ({"username": "alice", "password": 12345678}, {"password": "Must be a string"}),
        ({"username": None, "password": "x"}, {"username": "Must be a string"}),
        ({"username": ["alice"], "password": "x"}, {"username": "Must be a string"}),
        (
            {"username": "", "password": ""},
            {
                "username": "Enter a username (at most 128 characters)",
                "password": "Enter a password (at most 1024 characters)",
            },
        ),
        (
            {"username": "   ", "password": "x"},
            {"username": "Enter a username (at most 128 characters)"},
        ),
    ],
)
def test_login_rejects_bad_fields(client, body, errors):
    response = client.post("/api/token", json=body)
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Invalid login",
        "error": "validation_failed",
        "errors": errors,
    }


def test_login_does_not_apply_signup_rules(auth):
    # "ab" is too short to sign up with, but login only says the credentials are wrong.
    response = auth.login("ab", "short")
    assert response.status_code == 401
    assert response.get_json() == {"msg": "Bad username or password", "error": "bad_credentials"}
