"""The key checks, offline: what a token's header names, and what a JWKS holds and verifies.

Keys are made here with cryptography and published with PyJWT's to_jwk(), as a student's app
would; no app runs (the corpus grades es256_jwks, rs256_kid and jwks_leaks_d over HTTP).
"""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from grader import key_checks, tokens
from grader.target import Target

API = Target(api="http://127.0.0.1:5001/api", app=None, username="u", password="p")
SENT = "GET http://127.0.0.1:5001/.well-known/jwks.json"

PAIRS = {
    "ES256": (ec.generate_private_key(ec.SECP256R1()), ECAlgorithm),
    "RS256": (rsa.generate_private_key(public_exponent=65537, key_size=2048), RSAAlgorithm),
    "PS256": (rsa.generate_private_key(public_exponent=65537, key_size=2048), RSAAlgorithm),
    "EdDSA": (ed25519.Ed25519PrivateKey.generate(), OKPAlgorithm),
}


def signed(algorithm: str, **header: object) -> tuple[str, dict]:
    """A token signed with `algorithm`'s private key, and the JWK of its public key (kid "k1")."""
    private, family = PAIRS[algorithm]
    token = jwt.encode({"sub": "1"}, private, algorithm=algorithm, headers=header or None)
    return token, {**family.to_jwk(private.public_key(), as_dict=True), "kid": "k1"}


def test_every_algorithm_pyjwt_signs_with_is_a_jwt_algorithm_but_none():
    assert {"HS256", "RS256", "PS256", "ES256", "EdDSA"} <= tokens.SIGNING_ALGORITHMS
    assert "none" not in tokens.SIGNING_ALGORITHMS
    assert not set(tokens.HMAC_ALGORITHMS) & tokens.KEY_PAIR_ALGORITHMS


def test_a_kid_is_reported_in_words_a_student_reads():
    result = key_checks.token_key({"alg": "ES256", "kid": "abc"}, API)
    assert result.status == "pass"
    assert 'Your tokens name their key (kid "abc")' in result.note


def test_a_header_that_names_no_key_passes_quietly():
    result = key_checks.token_key({"alg": "HS256", "typ": "JWT"}, API)
    assert (result.status, result.note) == ("pass", "")


@pytest.mark.parametrize(
    "url",
    [
        "https://keys.example.com/jwks.json",
        "http://127.0.0.1:5002/.well-known/jwks.json",  # another port is another origin
        "/.well-known/jwks.json",  # no origin at all
        "http://[::1/jwks.json",  # not a URL Python can read
        42,
    ],
)
def test_a_key_url_off_the_apis_origin_is_a_warning_and_never_fetched(url):
    header = {"alg": "RS256", "jku": url}
    result = key_checks.token_key(header, API)
    assert result.status == "warn"
    assert "did not fetch" in result.note and "RFC 8725" in result.note
    assert key_checks.key_set_url(header, API) == (
        "http://127.0.0.1:5001/.well-known/jwks.json",
        False,
    )


def test_a_jku_on_the_apis_origin_is_where_the_keys_are_fetched():
    header = {"alg": "ES256", "jku": "http://127.0.0.1:5001/api/keys"}
    assert key_checks.key_set_url(header, API) == ("http://127.0.0.1:5001/api/keys", True)
    assert key_checks.token_key(header, API).status == "pass"


@pytest.mark.parametrize("algorithm", sorted(PAIRS))
def test_the_published_public_key_verifies_the_token(algorithm):
    token, jwk = signed(algorithm, kid="k1")
    result = key_checks.verify_result(token, jwt.get_unverified_header(token), SENT, [jwk])
    assert result.status == "pass", result
    assert "verifies" in result.observed


def test_another_key_or_an_unknown_kid_fails():
    token, _jwk = signed("ES256", kid="k1")
    other = {
        **ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key(), as_dict=True),
        "kid": "k1",
    }
    header = jwt.get_unverified_header(token)
    assert key_checks.verify_result(token, header, SENT, [other]).status == "fail"
    unknown = key_checks.verify_result(token, {**header, "kid": "k9"}, SENT, [other])
    assert unknown.status == "fail" and '"k9"' in unknown.note


def test_key_material_of_any_shape_is_a_finding_not_a_crash():
    token, _jwk = signed("RS256")
    header = jwt.get_unverified_header(token)
    for odd in ({"kty": "RSA", "n": 5, "e": []}, {"kty": ["EC"]}, {"kty": "RSA"}, {}):
        assert key_checks.verify_result(token, header, SENT, [odd]).status == "fail"


@pytest.mark.parametrize("algorithm", sorted(PAIRS))
def test_a_jwks_with_the_private_key_fails_naming_the_member(algorithm):
    private, family = PAIRS[algorithm]
    leaked = {**family.to_jwk(private, as_dict=True), "kid": "k1"}
    result = key_checks.private_key_result(SENT, [leaked])
    assert result is not None and result.status == "fail"
    assert "publishes a private key" in result.note and "`d`" in result.note
    assert leaked["d"] not in result.observed + result.note  # the secret is not repeated


def test_a_published_shared_secret_fails_too():
    result = key_checks.private_key_result(SENT, [{"kty": "oct", "k": "c2VjcmV0"}])
    assert result is not None and "the shared secret itself" in result.note


def test_public_keys_only_is_no_finding():
    _token, jwk = signed("EdDSA")
    assert key_checks.private_key_result(SENT, [jwk]) is None
