"""Signing keys: every JWT_SIGNING mode, the JWKS, rotation and retirement, and the key attacks.

A token names its key with `kid`; the server picks the key by that name alone, from its own
key set, and accepts one algorithm. Rotation makes a new key sign without logging anyone out;
retirement ends the old key's tokens with a message that says why.
"""

import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from helpers import (
    Browser,
    assert_401,
    current_key,
    decode,
    other_key,
    sign,
    statements_sent,
    token_claims,
)

from app import keys
from app.extensions import db
from app.models import SigningKey

MODES = ["hs256", "es256", "rs256", "eddsa"]
ASYMMETRIC = ["es256", "rs256", "eddsa"]
# Members of a JWK that hold private or secret key material (RFC 7518 section 6).
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


@pytest.fixture(params=MODES)
def mode(request, settings):
    """Each test that asks for it runs once per signing mode."""
    settings["JWT_SIGNING"] = request.param
    return request.param


@pytest.fixture(params=ASYMMETRIC)
def asymmetric(request, settings):
    """Each test that asks for it runs once per mode that signs with a private key."""
    settings["JWT_SIGNING"] = request.param
    return request.param


def kid_of(token):
    return jwt.get_unverified_header(token)["kid"]


def unverified(token):
    return jwt.decode(token, options={"verify_signature": False})


def jwks(client):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return response.get_json()


def b64(data: bytes) -> str:
    return jwt.utils.base64url_encode(data).decode()


def hand_made(header: dict, claims: dict, sign_with) -> str:
    """A token assembled by hand: `sign_with(signing_input) -> signature bytes`."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(sign_with(signing_input.encode()))}"


# --- Every mode signs and verifies ----------------------------------------------------------------


def test_every_mode_signs_with_its_algorithm_and_a_kid(mode, app, logged_in):
    alice = logged_in("alice")

    header = jwt.get_unverified_header(alice.token)
    assert header["alg"] == {"hs256": "HS256", "es256": "ES256", "rs256": "RS256"}.get(
        mode, "EdDSA"
    )
    assert header["kid"] == current_key(app).kid
    claims = decode(app, alice.token)
    assert (claims["iss"], claims["aud"]) == ("jwt-classroom", "jwt-classroom-api")
    assert alice.protected().status_code == 200
    # The refresh token too: signed by the same key, and it buys a working access token.
    assert kid_of(alice.refresh_cookie()) == header["kid"]
    assert alice.refresh().status_code == 200
    assert alice.protected().status_code == 200


def test_another_verifier_checks_our_tokens_with_the_jwks_alone(asymmetric, logged_in, client):
    """What a service of another team would do: fetch the public keys, pick by kid, verify."""
    alice = logged_in("alice")

    key_set = jwt.PyJWKSet.from_dict(jwks(client))
    public = key_set[kid_of(alice.token)]
    claims = jwt.decode(
        alice.token,
        public.key,
        algorithms=[public.algorithm_name],
        audience="jwt-classroom-api",
        issuer="jwt-classroom",
    )
    assert claims["type"] == "access"


def test_the_jwks_never_holds_a_private_member(mode, app, logged_in, runner, client):
    logged_in("alice")
    assert runner.invoke(args=["rotate-key"]).exit_code == 0

    body = jwks(client)

    for jwk in body["keys"]:
        assert not PRIVATE_MEMBERS & set(jwk), jwk
        assert jwk["use"] == "sig"
    if mode == "hs256":
        assert body["keys"] == []
        assert "never published" in body["note"]
    else:
        assert len(body["keys"]) == 2  # the new key and the one before it
        assert "note" not in body


def test_verifiers_may_cache_the_jwks_for_a_minute(app, client):
    response = client.get("/.well-known/jwks.json")

    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(
        "/.well-known/jwks.json", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("method", "path", "status", "kind"),
    [
        ("POST", "/.well-known/jwks.json", 405, "method_not_allowed"),
        ("GET", "/.well-known/openid-configuration", 404, "not_found"),
    ],
)
def test_mistakes_under_well_known_get_the_apis_json_errors(client, method, path, status, kind):
    response = client.open(path, method=method)

    assert response.status_code == status
    assert response.is_json, "a verifier gets JSON, not the SPA's page"
    assert response.get_json()["error"] == kind
    assert response.headers["Cache-Control"] == "no-store"


def test_the_jwks_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert set(paths["/.well-known/jwks.json"]) == {"get"}
    assert set(paths["/api/keys"]) == {"get"}
    assert set(paths["/api/classroom/keys/rotate"]) == {"post"}


# --- Keys at rest ---------------------------------------------------------------------------------


def test_no_key_is_readable_in_the_database(asymmetric, app, logged_in):
    logged_in("alice")
    with app.app_context():
        row = db.session.scalar(db.select(SigningKey))
    assert "PRIVATE KEY" not in row.private_key
    assert not PRIVATE_MEMBERS & set(json.loads(row.public_jwk))
    # Only JWT_SECRET_KEY opens it.
    with pytest.raises(ValueError):
        serialization.load_pem_private_key(row.private_key.encode(), password=None)


@pytest.fixture
def hs256(settings):
    settings["JWT_SIGNING"] = "hs256"


def test_hs256_keys_are_not_stored_at_all(hs256, app, logged_in):
    logged_in("alice")
    with app.app_context():
        row = db.session.scalar(db.select(SigningKey))
    assert (row.alg, row.private_key, row.public_jwk) == ("HS256", None, None)


def test_a_new_jwt_secret_key_retires_the_keys_made_under_the_old_one(
    asymmetric, make_app, logged_in
):
    alice = logged_in("alice")
    new_secret = make_app(schema=None, JWT_SECRET_KEY="another-test-key-" + "Zq8vT3nW5kR1xL7c" * 3)

    after = Browser(new_secret.test_client())
    assert_401(after.protected(alice.token), keys.KEY_RETIRED, "key_retired")
    # The new secret's own key signs from now on.
    after.signup("bob")
    assert after.login("bob").status_code == 200
    assert kid_of(after.token) != kid_of(alice.token)
    assert after.protected().status_code == 200


# --- Rotation with a live session -----------------------------------------------------------------


def test_a_rotation_logs_nobody_out_and_retiring_the_old_key_does(mode, app, logged_in, runner):
    alice = logged_in("alice")
    old_kid = kid_of(alice.token)

    rotated = runner.invoke(args=["rotate-key"])
    assert rotated.exit_code == 0, rotated.output

    # Alice's token, signed by the old key, still opens the API.
    assert alice.protected().status_code == 200
    # New tokens carry the new key's kid.
    bob = logged_in("bob")
    new_kid = kid_of(bob.token)
    assert new_kid != old_kid
    assert new_kid in rotated.output
    assert bob.protected().status_code == 200

    retired = runner.invoke(args=["retire-key"])  # the newest verify-only key: the old one
    assert retired.exit_code == 0, retired.output
    assert old_kid in retired.output

    assert_401(alice.protected(), keys.KEY_RETIRED, "key_retired")
    assert "retired" in alice.protected().headers["WWW-Authenticate"]
    assert bob.protected().status_code == 200


def test_the_refresh_flow_across_a_rotation(mode, app, logged_in, runner):
    alice = logged_in("alice")
    old_kid = kid_of(alice.token)
    assert runner.invoke(args=["rotate-key"]).exit_code == 0

    # The refresh cookie was signed by the old key: still good, and what it buys is signed by
    # the new one, so the session carries on past the old key's retirement.
    assert kid_of(alice.refresh_cookie()) == old_kid
    assert alice.refresh().status_code == 200
    assert kid_of(alice.token) != old_kid
    assert kid_of(alice.refresh_cookie()) == kid_of(alice.token)

    assert runner.invoke(args=["retire-key", old_kid]).exit_code == 0
    assert alice.protected().status_code == 200
    assert alice.refresh().status_code == 200


def test_a_refresh_token_of_a_retired_key_is_refused_with_the_reason(app, logged_in, runner):
    alice = logged_in("alice")
    assert runner.invoke(args=["rotate-key"]).exit_code == 0
    assert runner.invoke(args=["retire-key"]).exit_code == 0

    assert_401(alice.refresh(), keys.KEY_RETIRED, "key_retired")


def test_the_jwks_follows_rotation_and_retirement(asymmetric, app, logged_in, runner, client):
    old_kid = kid_of(logged_in("alice").token)
    runner.invoke(args=["rotate-key"])
    new_kid = current_key(app).kid

    assert [jwk["kid"] for jwk in jwks(client)["keys"]] == [new_kid, old_kid]
    runner.invoke(args=["retire-key", old_kid])
    assert [jwk["kid"] for jwk in jwks(client)["keys"]] == [new_kid]


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["retire-key"], "There is no verify-only key to retire"),
        (["retire-key", "20260101-00000000"], "No signing key with kid '20260101-00000000'"),
        (["retire-key", "CURRENT"], "is the current key"),
    ],
)
def test_what_cannot_be_retired_is_refused_with_a_reason(app, logged_in, runner, args, why):
    alice = logged_in("alice")
    args = [kid_of(alice.token) if arg == "CURRENT" else arg for arg in args]

    result = runner.invoke(args=args)

    assert result.exit_code == 1
    assert why in result.output
    assert alice.protected().status_code == 200


def test_a_key_is_retired_once(app, logged_in, runner):
    old_kid = kid_of(logged_in("alice").token)
    runner.invoke(args=["rotate-key"])
    assert runner.invoke(args=["retire-key", old_kid]).exit_code == 0

    again = runner.invoke(args=["retire-key", old_kid])
    assert again.exit_code == 1
    assert "already retired" in again.output


def test_list_keys_shows_each_state(app, logged_in, runner):
    first = kid_of(logged_in("alice").token)
    runner.invoke(args=["rotate-key"])
    second = current_key(app).kid
    runner.invoke(args=["rotate-key"])
    runner.invoke(args=["retire-key", first])

    lines = runner.invoke(args=["list-keys"]).output.splitlines()

    assert [line.split()[:3] for line in lines] == [
        [current_key(app).kid, "ES256", "current"],
        [second, "ES256", "verify-only"],
        [first, "ES256", "retired"],
    ]


def test_switching_the_mode_signs_with_a_new_key_and_refuses_the_old_ones(make_app, logged_in, app):
    alice = logged_in("alice")  # es256, the default
    rsa = make_app(schema=None, JWT_SIGNING="rs256")

    assert_401(
        Browser(rsa.test_client()).protected(alice.token), keys.ALG_NOT_ALLOWED, "token_invalid"
    )
    with rsa.app_context():
        key_set = keys.ring().read()
    states = {key.alg: key_set.state(key) for key in key_set.newest_first()}
    assert states == {"RS256": "current", "ES256": "retired"}


# --- The routes: the key list and the teacher's rotation ------------------------------------------


@pytest.fixture
def teacher(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    browser = Browser(app.test_client())
    assert browser.login("teacher", "teacher1234").status_code == 200
    return browser


def test_the_key_list_is_for_anyone_logged_in_and_public_facts_only(app, logged_in, client):
    assert client.get("/api/keys").status_code == 401
    alice = logged_in("alice")

    response = alice.client.get("/api/keys", headers=alice.headers)

    assert response.status_code == 200
    body = response.get_json()
    assert body["alg"] == "ES256"
    assert body["signing"] == "es256"
    assert body["jwks_uri"] == "/.well-known/jwks.json"
    assert (body["issuer"], body["audience"]) == ("jwt-classroom", "jwt-classroom-api")
    [key] = body["keys"]
    assert set(key) == {"kid", "alg", "state", "created_at", "retired_at"}
    assert (key["kid"], key["state"]) == (kid_of(alice.token), "current")


def test_a_teacher_rotates_and_the_student_carries_on(app, teacher, logged_in):
    alice = logged_in("alice")
    old_kid = kid_of(alice.token)

    response = teacher.client.post("/api/classroom/keys/rotate", headers=teacher.headers)

    assert response.status_code == 200
    listed = response.get_json()["keys"]
    assert [key["state"] for key in listed] == ["current", "verify-only"]
    assert listed[1]["kid"] == old_kid
    assert alice.protected().status_code == 200
    assert alice.refresh().status_code == 200
    assert kid_of(alice.token) == listed[0]["kid"]


def test_a_student_may_not_rotate(app, logged_in):
    alice = logged_in("alice")
    old_kid = kid_of(alice.token)

    response = alice.client.post("/api/classroom/keys/rotate", headers=alice.headers)

    assert response.status_code == 403
    assert response.get_json() == {
        "msg": "Only a teacher may open the classroom view",
        "error": "forbidden",
    }
    assert current_key(app).kid == old_kid


# --- The attacks that come with keys: each one 401 ------------------------------------------------


def alice_claims(app, logged_in):
    """Alice's own claims (a real session), ready to be signed by someone else."""
    alice = logged_in("alice")
    return alice, unverified(alice.token)


def test_algorithm_confusion_is_refused(asymmetric, app, logged_in, client):
    """HS256 "signed" with our public key as the HMAC secret: a server that let the token choose
    the algorithm would check it with that same public key, and accept it (RFC 8725 3.1)."""
    alice, claims = alice_claims(app, logged_in)
    public_pem = current_key(app).verifying.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": kid_of(alice.token)}
    token = hand_made(
        header, claims, lambda data: hmac.new(public_pem, data, hashlib.sha256).digest()
    )

    assert_401(alice.protected(token), keys.ALG_NOT_ALLOWED, "token_invalid")


def test_an_embedded_jwk_is_never_used(asymmetric, app, logged_in):
    """The attacker's own key, carried in the header it signs (CVE-2018-0114's family)."""
    alice, claims = alice_claims(app, logged_in)
    forger = other_key(app)
    alg = app.config["JWT_ALGORITHM"]
    jwk = jwt.get_algorithm_by_name(alg).to_jwk(forger.public_key(), as_dict=True)

    token = sign(app, claims, key=forger, headers={"jwk": jwk})

    assert_401(alice.protected(token), keys.KEY_IN_HEADER, "token_invalid")


@pytest.mark.parametrize("member", ["jku", "x5u"])
def test_a_key_url_in_the_header_is_never_fetched(app, logged_in, member):
    alice, claims = alice_claims(app, logged_in)
    token = sign(
        app, claims, key=other_key(app), headers={member: "https://attacker.example/jwks.json"}
    )
    assert_401(alice.protected(token), keys.KEY_IN_HEADER, "token_invalid")


@pytest.mark.parametrize(
    "kid",
    ["../../etc/passwd", "/dev/null", "' OR 1=1 --", "20261208-3f9a1c2e/../x", ""],
    ids=["path", "absolute path", "sql", "path after a kid", "empty"],
)
def test_a_kid_that_cannot_be_ours_is_refused(app, logged_in, kid):
    alice, claims = alice_claims(app, logged_in)
    token = sign(app, claims, headers={"kid": kid})
    assert_401(alice.protected(token), keys.UNKNOWN_KID, "token_invalid")


@pytest.mark.parametrize("kid", [42, ["a"], {"kid": "x"}], ids=["number", "list", "object"])
def test_a_kid_that_is_not_text_is_refused(app, logged_in, kid):
    alice, claims = alice_claims(app, logged_in)
    key = current_key(app)
    header = {"alg": key.alg, "typ": "JWT", "kid": kid}
    token = hand_made(header, claims, lambda data: b"\0" * 64)
    assert_401(alice.protected(token), "Key ID header parameter must be a string", "token_invalid")


def test_an_unknown_kid_is_refused(mode, app, logged_in):
    alice, claims = alice_claims(app, logged_in)
    token = sign(app, claims, key=other_key(app), headers={"kid": "20260101-0badc0de"})
    assert_401(alice.protected(token), keys.UNKNOWN_KID, "token_invalid")


def test_a_token_without_kid_is_refused(app, logged_in):
    alice, claims = alice_claims(app, logged_in)
    token = jwt.encode(claims, current_key(app).signing, algorithm=app.config["JWT_ALGORITHM"])
    assert_401(alice.protected(token), keys.NO_KID, "token_invalid")


def test_alg_none_is_refused(app, logged_in):
    alice, claims = alice_claims(app, logged_in)
    token = sign(app, claims, key="", alg="none")
    assert_401(alice.protected(token), keys.ALG_NOT_ALLOWED, "token_invalid")


@pytest.mark.parametrize(
    ("changes", "msg"),
    [
        ({"aud": "another-api"}, "Audience doesn't match"),
        ({"aud": ["another-api", "and-another"]}, "Audience doesn't match"),
        ({"aud": None}, 'Token is missing the "aud" claim'),
        ({"iss": "https://issuer.example"}, "Invalid issuer"),
        ({"iss": None}, 'Token is missing the "iss" claim'),
    ],
    ids=["another aud", "other auds", "no aud", "another iss", "no iss"],
)
def test_a_token_for_another_audience_or_from_another_issuer_is_refused(
    mode, app, logged_in, changes, msg
):
    """Signed with our own key: only the claim is wrong (a token we made for another API)."""
    alice, claims = alice_claims(app, logged_in)
    claims = {name: value for name, value in {**claims, **changes}.items() if value is not None}
    assert_401(alice.protected(sign(app, claims)), msg, "token_invalid")


def test_a_correctly_made_token_passes(app, logged_in):
    """The control for the attacks above: the same claims, signed as the server signs."""
    alice, claims = alice_claims(app, logged_in)
    assert claims["iss"] == token_claims(app)["iss"]
    assert alice.protected(sign(app, claims)).status_code == 200


# --- Several processes: the key set is read again, never on every request -------------------------


def key_reads(statements):
    return [s for s in statements if "signing_keys" in s]


def test_made_up_kids_cannot_make_a_process_read_the_keys_on_every_request(
    app, logged_in, monkeypatch
):
    monkeypatch.setattr(keys, "UNKNOWN_KID_REREAD", 3600)  # the whole test is within one
    alice, claims = alice_claims(app, logged_in)
    tokens = [sign(app, claims, headers={"kid": f"20260101-{n:08x}"}) for n in range(20)]

    with app.app_context(), statements_sent(db.engine) as statements:
        answers = [alice.protected(token).status_code for token in tokens]

    assert answers == [401] * 20
    assert len(key_reads(statements)) == 1  # the first made-up kid; the rest wait their turn


def test_a_key_made_by_another_process_is_known_at_its_first_token(make_app, app, logged_in):
    """Another API process on the same database rotates; its next token works here at once."""
    alice = logged_in("alice")
    other = make_app(schema=None)
    with other.app_context():
        new_kid = keys.rotate().kid
    at_other = Browser(other.test_client())
    at_other.use_refresh_cookie(alice.refresh_cookie(), alice.csrf_cookie())
    assert at_other.refresh().status_code == 200
    assert kid_of(at_other.token) == new_kid

    assert alice.protected(at_other.token).status_code == 200


@pytest.fixture
def refresh_every_second(settings):
    settings["SIGNING_KEYS_REFRESH"] = 1


def test_a_retirement_by_another_process_is_seen_within_the_refresh_time(
    refresh_every_second, make_app, logged_in, app
):
    alice = logged_in("alice")
    other = make_app(schema=None)
    with other.app_context():
        keys.rotate()
        keys.retire()

    time.sleep(1.1)  # one SIGNING_KEYS_REFRESH: this process reads the keys again

    assert_401(alice.protected(), keys.KEY_RETIRED, "key_retired")


def test_no_private_key_reaches_the_log(asymmetric, app, logged_in, runner, caplog):
    caplog.set_level("DEBUG")
    logged_in("alice")
    runner.invoke(args=["rotate-key"])
    with app.app_context():
        rows = db.session.scalars(db.select(SigningKey.private_key)).all()
    assert "PRIVATE KEY" not in caplog.text
    for row in rows:
        assert row not in caplog.text
