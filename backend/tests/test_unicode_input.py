"""Unicode and odd characters in usernames and passwords: deliberate answers, never a 500."""

import pytest

from app.extensions import db
from app.models import User

CONTROL = "Must not contain control characters"
NUL = "Must not contain the NUL character"


@pytest.mark.parametrize(
    "username",
    ["al\x00ice", "alice\x00", "al\tice", "alice\n", "\x1balice", "ali\x7fce", "al\u0085ice"],
    ids=["NUL", "trailing NUL", "tab", "trailing newline", "escape", "DEL", "C1 NEL"],
)
@pytest.mark.parametrize(
    ("path", "msg"), [("/api/signup", "Invalid signup"), ("/api/token", "Invalid login")]
)
def test_control_characters_in_a_username_are_refused(app, client, path, msg, username):
    response = client.post(path, json={"username": username, "password": "long enough"})
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": msg,
        "error": "validation_failed",
        "errors": {"username": CONTROL},
    }
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("path", ["/api/signup", "/api/token"])
def test_a_nul_in_a_password_is_refused(client, path):
    response = client.post(path, json={"username": "alice", "password": "long\x00enough"})
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"password": NUL}


@pytest.mark.parametrize(
    "username",
    # Whitespace or look-alikes inside a name are not letters, digits, _ . or -.
    ["al ice", "al\u00a0ice", "al\u200bice", "\u0430lice", "al\u2010ice"],
    ids=["space", "no-break space", "zero-width space", "Cyrillic a", "Unicode hyphen"],
)
def test_whitespace_and_look_alikes_inside_a_username_are_refused(client, username):
    response = client.post("/api/signup", json={"username": username, "password": "long enough"})
    assert response.status_code == 400
    assert response.get_json()["errors"] == {
        "username": "Use 3 to 32 characters: letters, digits, _ . or -"
    }


def test_a_look_alike_of_a_taken_name_cannot_be_registered(auth):
    assert auth.signup("kelvin").status_code == 201
    # U+212A KELVIN SIGN is NFKC-equal to "K", and "K" lower-cases to "k".
    assert auth.signup("\u212aelvin").status_code == 409


@pytest.mark.parametrize(
    "password",
    ["\u00e9" * 8, "\U0001f511" * 8, "\u043f\u0430\u0440\u043e\u043b\u044c12", "    \u3000   "],
    ids=["8 accented letters", "8 emoji", "Cyrillic", "spaces only"],
)
def test_any_unicode_password_of_8_characters_works(auth, password):
    # 8 characters even where that is 16 or 32 bytes in UTF-8: the rule counts characters.
    assert auth.signup("alice", password).status_code == 201
    assert auth.login("alice", password).status_code == 200


def test_seven_multibyte_characters_are_too_short(auth):
    # 28 bytes in UTF-8, but 7 characters.
    response = auth.signup("alice", "\U0001f511" * 7)
    assert response.get_json()["errors"] == {"password": "Use 8 to 128 characters"}


def test_128_multibyte_characters_are_not_too_long(auth):
    assert auth.signup("alice", "\u00e9" * 128).status_code == 201


def test_a_password_matches_however_its_accents_were_typed(auth):
    composed = "caf\u00e9 au lait"  # é as one code point
    decomposed = "cafe\u0301 au lait"  # e + COMBINING ACUTE ACCENT, as some keyboards send it
    assert auth.signup("alice", composed).status_code == 201
    assert auth.login("alice", decomposed).status_code == 200


def test_a_different_password_still_fails(auth):
    auth.signup("alice", "caf\u00e9 au lait")
    assert auth.login("alice", "cafe au lait").status_code == 401


def test_a_nul_in_a_new_password_is_refused(logged_in, client):
    headers = logged_in("alice").headers
    response = client.post(
        "/api/password",
        json={"current_password": "correct horse", "new_password": "long\x00enough"},
        headers=headers,
    )
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"new_password": NUL}
