"""GET /api/protected: which tokens get in, and what every rejected one gets back."""

import time
import uuid
from datetime import timedelta

import jwt
import pytest
import time_machine
from helpers import TEST_SECRET, current_key, other_key, sign, token_claims

from app.extensions import db
from app.models import User


def test_a_valid_token_gets_the_user(logged_in, client):
    headers = logged_in("alice").headers

    response = client.get("/api/protected", headers=headers)

    assert response.status_code == 200
    body = response.get_json()
    assert body["username"] == "alice"
    assert isinstance(body["id"], int)


def test_the_token_belongs_to_its_own_user(logged_in, client):
    alice = logged_in("alice").headers
    bob = logged_in("bob").headers
    assert client.get("/api/protected", headers=alice).get_json()["username"] == "alice"
    assert client.get("/api/protected", headers=bob).get_json()["username"] == "bob"


def assert_rejected(response, msg, kind, token_sent=True):
    """Every rejection: 401, {"msg", "error"} only, and an RFC 6750 challenge."""
    assert response.status_code == 401
    assert response.get_json() == {"msg": msg, "error": kind}
    challenge = response.headers["WWW-Authenticate"]
    if token_sent:
        assert challenge.startswith('Bearer error="invalid_token", error_description="')
    else:
        assert challenge == "Bearer"


def test_no_token(client):
    response = client.get("/api/protected")
    assert_rejected(response, "Missing Authorization Header", "token_missing", token_sent=False)


@pytest.mark.parametrize(
    ("header", "msg"),
    [
        ("Bearer", "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer ", "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer a b", "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer a.b", "Not enough segments"),
        ("Bearer garbage", "Not enough segments"),
        ("Bearer a.b.c", "Invalid header padding"),
        ("Bearer ....", "Invalid header string: Expecting value: line 1 column 1 (char 0)"),
    ],
)
def test_malformed_tokens_are_401_not_422(client, header, msg):
    response = client.get("/api/protected", headers={"Authorization": header})
    assert_rejected(response, msg, "token_invalid")


def test_another_scheme_is_asked_for_a_bearer_token(client):
    response = client.get("/api/protected", headers={"Authorization": "Basic YWxpY2U6cHc="})
    assert_rejected(
        response,
        "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'",
        "token_missing",
        token_sent=False,
    )


def test_a_tampered_payload_is_rejected(app, logged_in, client):
    token = logged_in("alice").headers["Authorization"].removeprefix("Bearer ")
    header, _payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["sub"] = "2"  # pretend to be someone else
    forged_payload = jwt.utils.base64url_encode(jwt.api_jws.json.dumps(claims).encode()).decode()

    response = client.get(
        "/api/protected",
        headers={"Authorization": f"Bearer {header}.{forged_payload}.{signature}"},
    )

    assert_rejected(response, "Signature verification failed", "token_invalid")


def claims_for(app, user_id, **changes):
    """Claims like the app's own tokens; a change of None removes that claim.

    `sid` names no real session here; tests that need one log in and take theirs.
    """
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "type": "access",
        "jti": str(uuid.uuid4()),
        "sid": str(uuid.uuid4()),
        **token_claims(app),
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


APP_KEY = object()  # stands for "the app's own signing key" in the table below
OTHER_KEY = object()  # a key of the app's algorithm that is not the app's
NOW = int(time.time())

# Tokens an attacker (or a buggy client) could send: (claim changes, key, alg, expected msg and
# kind). alg None: the app's own algorithm (JWT_SIGNING). Each has the kid of the app's current
# key. The attacks that come with keys (kid, jwk, jku, algorithm confusion) are in test_keys.py.
BAD_TOKENS = [
    pytest.param(
        {},
        OTHER_KEY,
        None,
        "Signature verification failed",
        "token_invalid",
        id="signed with another key",
    ),
    pytest.param(
        {}, "", "none", "The specified alg value is not allowed", "token_invalid", id="alg none"
    ),
    pytest.param(
        {},
        TEST_SECRET,
        "HS512",
        "The specified alg value is not allowed",
        "token_invalid",
        id="another algorithm (HS512)",
    ),
    pytest.param(
        {"sub": 1},
        APP_KEY,
        None,
        "Subject must be a string",
        "token_invalid",
        id="integer sub, as the lesson's identity=user.id",
    ),
    pytest.param({"sub": None}, APP_KEY, None, "Missing claim: sub", "token_invalid", id="no sub"),
    pytest.param(
        {"exp": NOW - 1}, APP_KEY, None, "Token has expired", "token_expired", id="expired"
    ),
    pytest.param(
        {"nbf": NOW + 3600},
        APP_KEY,
        None,
        "The token is not yet valid (nbf)",
        "token_invalid",
        id="nbf in the future",
    ),
]


# The rest of the attacks are tested where the lifecycle lives: a logged-out (revoked) token in
# test_logout.py, a refresh token used as an access token and a reused one in test_refresh.py.
@pytest.mark.parametrize(("changes", "key", "alg", "msg", "kind"), BAD_TOKENS)
def test_bad_tokens_are_401(app, auth, client, changes, key, alg, msg, kind):
    user_id = auth.signup("alice").get_json()["id"]
    key = {APP_KEY: None, OTHER_KEY: other_key(app)}.get(key, key)
    token = sign(app, claims_for(app, user_id, **changes), key=key, alg=alg)

    response = client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})

    assert_rejected(response, msg, kind)


# Correctly signed tokens whose `sub` is no user of ours. "\uff11" is a full-width "1", which
# str.isdecimal() accepts; 2**31 no longer fits PostgreSQL's INTEGER id column.
NOT_OUR_USERS = ["999", "abc", "\uff11", "007", "0", "-1", " 1", str(2**31), "9" * 40]


@pytest.mark.parametrize("sub", NOT_OUR_USERS)
def test_a_sub_that_is_not_one_of_our_users_is_401(app, auth, client, sub):
    auth.signup("alice")
    token = sign(app, claims_for(app, 0, sub=sub))

    response = client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})

    assert_rejected(response, "User not found", "user_not_found")


def test_a_signed_token_whose_payload_is_not_an_object(app, client):
    key = current_key(app)
    token = jwt.api_jws.encode(b"[1]", key.signing, algorithm=key.alg, headers={"kid": key.kid})
    response = client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})
    assert_rejected(response, "Invalid payload string: must be a json object", "token_invalid")


def session_id_of(headers):
    """The `sid` claim of the token in an Authorization header."""
    token = headers["Authorization"].removeprefix("Bearer ")
    return jwt.decode(token, options={"verify_signature": False})["sid"]


def test_the_same_claims_signed_properly_pass(app, logged_in, client):
    """The control for the table above: its tokens fail for their flaw, not by accident."""
    headers = logged_in("alice").headers
    user_id = client.get("/api/protected", headers=headers).get_json()["id"]
    claims = claims_for(app, user_id, sid=session_id_of(headers))
    token = sign(app, claims)
    response = client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "changes",
    [{"sid": None}, {"sid": "no-such-session"}, {"sid": 42}, {"jti": None}],
    ids=["no sid", "unknown sid", "sid not a string", "no jti"],
)
def test_a_token_outside_any_live_session_is_revoked(app, logged_in, client, changes):
    """Every token we issue names its login session and has a jti, so both can be revoked.

    A well-signed token without them (or naming a session we never started) is refused.
    """
    headers = logged_in("alice").headers
    user_id = client.get("/api/protected", headers=headers).get_json()["id"]
    claims = claims_for(app, user_id, **{"sid": session_id_of(headers), **changes})
    token = sign(app, claims)

    response = client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})

    assert_rejected(response, "Token has been revoked", "token_revoked")


def test_a_session_of_another_user_does_not_count(app, logged_in, client):
    """A `sid` is only good together with the `sub` of the user who logged in."""
    alice = logged_in("alice").headers
    bob = logged_in("bob").headers
    bob_id = client.get("/api/protected", headers=bob).get_json()["id"]
    claims = claims_for(app, bob_id, sid=session_id_of(alice))
    token = sign(app, claims)

    response = client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})

    assert_rejected(response, "Token has been revoked", "token_revoked")


def test_a_token_expires_after_access_token_ttl(logged_in, client):
    with time_machine.travel(0, tick=False) as traveller:
        traveller.move_to("2030-01-01 12:00:00+00:00")
        headers = logged_in("alice").headers

        traveller.shift(timedelta(seconds=899))
        assert client.get("/api/protected", headers=headers).status_code == 200

        traveller.shift(timedelta(seconds=2))
        response = client.get("/api/protected", headers=headers)
        assert_rejected(response, "Token has expired", "token_expired")


def test_a_token_of_a_deleted_user_is_rejected(app, logged_in, client):
    headers = logged_in("alice").headers
    with app.app_context():
        db.session.delete(db.session.scalar(db.select(User).where(User.username == "alice")))
        db.session.commit()

    assert_rejected(
        client.get("/api/protected", headers=headers), "User not found", "user_not_found"
    )


def unsigned_token_with_header(header, claims):
    """A token whose header says `header` (e.g. RS256) and whose signature is junk."""
    encode = jwt.utils.base64url_encode
    parts = [encode(jwt.api_jws.json.dumps(part).encode()) for part in (header, claims)]
    return b".".join([*parts, encode(b"not a real signature")]).decode()


def test_a_token_of_another_algorithm_is_refused_before_any_key_is_tried(app, auth, client):
    # The key-confusion family of attacks starts with a server that trusts the token's "alg".
    user_id = auth.signup("alice").get_json()["id"]
    other = "HS256" if app.config["JWT_ALGORITHM"] != "HS256" else "RS256"
    token = unsigned_token_with_header(
        {"alg": other, "typ": "JWT", "kid": current_key(app).kid}, claims_for(app, user_id)
    )
    response = client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})
    assert_rejected(response, "The specified alg value is not allowed", "token_invalid")


@pytest.mark.parametrize(
    ("first", "second"),
    [("VALID", "Bearer garbage"), ("VALID", "VALID"), ("VALID", ""), ("", "VALID")],
    ids=["valid + garbage", "the same valid token twice", "valid + empty", "empty + valid"],
)
def test_two_authorization_headers_are_refused(logged_in, client, first, second):
    """Which of two tokens would count is ambiguous, so neither does."""
    valid = logged_in("alice").headers["Authorization"]
    headers = [("Authorization", valid if value == "VALID" else value) for value in (first, second)]

    response = client.get("/api/protected", headers=headers)

    assert_rejected(
        response,
        "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'",
        "token_missing",
        token_sent=False,
    )
