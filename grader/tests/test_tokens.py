"""The grader's token tools, offline: reading, forging and guessing the key of a JWT."""

import secrets

import jwt
import pytest

from grader import tokens

LESSON_KEY = "super-secret"


def lesson_token(key: str = LESSON_KEY) -> str:
    """A token as the lesson's app makes it: an integer sub, HS256, signed with `key`."""
    claims = {"sub": 1, "exp": 2_000_000_000}
    if len(key) >= 32:
        return jwt.encode(claims, key, algorithm="HS256")
    with pytest.warns(jwt.InsecureKeyLengthWarning):  # PyJWT warns about the lesson's key
        return jwt.encode(claims, key, algorithm="HS256")


def test_the_lessons_key_is_found_and_a_random_one_is_not():
    assert tokens.guess_key(lesson_token()) == (LESSON_KEY, tokens.tutorial_sources()[LESSON_KEY])
    assert tokens.guess_key(lesson_token(secrets.token_urlsafe(32))) is None


def test_the_word_list_is_a_few_hundred_keys_at_most():
    keys = tokens.tutorial_secrets()
    assert LESSON_KEY in keys
    assert "your-256-bit-secret" in keys  # jwt.io's example key
    assert 100 <= len(keys) <= 300
    assert len(set(keys)) == len(keys)


def test_a_key_pair_token_is_not_guessed():
    header = tokens.b64url_encode(b'{"alg":"RS256","typ":"JWT"}')
    payload = tokens.b64url_encode(b'{"sub":"1"}')
    assert tokens.guess_key(f"{header}.{payload}.c2ln") is None


def test_reading_needs_no_key():
    header, payload = tokens.read(lesson_token())
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert payload["sub"] == 1


@pytest.mark.parametrize("garbage", ["", "abc", "a.b", "a.b.c", "eyJ.e30.x.y"])
def test_what_is_not_a_jwt_says_so(garbage):
    with pytest.raises(tokens.NotAJwt):
        tokens.read(garbage)


def test_a_tampered_token_keeps_its_signature_and_sub_but_not_its_payload():
    original = lesson_token()
    forged = tokens.tampered(original)
    assert forged.split(".")[2] == original.split(".")[2]
    _header, payload = tokens.read(forged)
    assert payload["sub"] == 1
    assert payload["admin"] is True
    assert payload["exp"] == 2_000_000_000 + 24 * 3600
    assert tokens.guess_key(forged, [LESSON_KEY]) is None  # the real key does not verify it


def test_an_unsigned_token_says_alg_none_and_has_no_signature():
    forged = tokens.unsigned(lesson_token())
    header, payload = tokens.read(forged)
    assert header["alg"] == "none"
    assert forged.endswith(".")
    assert payload["sub"] == 1


def test_a_token_signed_with_another_key_fails_with_the_real_one():
    forged = tokens.signed_with_another_key(lesson_token())
    assert tokens.read(forged)[1]["sub"] == 1
    assert tokens.guess_key(forged, [LESSON_KEY]) is None  # the real key does not verify it


def token_of(header: str | bytes, payload: str | bytes) -> str:
    """A token made of these JSON texts (or bytes), whatever they are, with a dummy signature."""
    parts = [part.encode() if isinstance(part, str) else part for part in (header, payload)]
    return ".".join(tokens.b64url_encode(part) for part in parts) + ".c2ln"


DEEP = "[" * 50_000 + "]" * 50_000


@pytest.mark.parametrize(
    "odd",
    [
        token_of('["HS256"]', '{"sub": "1"}'),  # a header that is a JSON array
        token_of("256", '{"sub": "1"}'),
        token_of('"HS256"', '{"sub": "1"}'),
        token_of("null", '{"sub": "1"}'),
        token_of('{"alg": "HS256"}', '["sub"]'),
        token_of(DEEP, '{"sub": "1"}'),
        token_of('{"alg": "HS256"}', '{"a":' * 50_000 + "1" + "}" * 50_000),
        token_of('{"alg": "HS256"}', '{"exp": ' + "9" * 5000 + "}"),  # past Python's int digits
        token_of('{"alg": "HS256"}', "{not json"),
        token_of(b"{}", b"\xff\xfe{"),  # not UTF-8
        "eyJé.e30.x",
        "eyJ.e30.x.y.z",
        None,
        12345,
        b"eyJ.e30.x",
        ["eyJ", "e30", "x"],
    ],
)
def test_anything_else_is_not_a_jwt_and_says_why(odd):
    with pytest.raises(tokens.NotAJwt) as raised:
        tokens.read(odd)
    assert str(raised.value)


@pytest.mark.parametrize("exp", ["Infinity", "-Infinity", "NaN", "1e400", "1" + "0" * 400])
def test_a_date_that_is_no_number_stays_readable_and_forgeable(exp):
    token = token_of('{"alg": "HS256", "typ": "JWT"}', f'{{"sub": "1", "exp": {exp}}}')
    _header, payload = tokens.read(token)
    assert payload["sub"] == "1"
    assert tokens.number(payload, "exp") is None
    for forge in (tokens.tampered, tokens.unsigned, tokens.signed_with_another_key):
        assert tokens.read(forge(token))[1]["sub"] == "1"
    assert tokens.guess_key(token, [LESSON_KEY]) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_700_000_000, 1_700_000_000.0),
        (1.5, 1.5),
        ("1700000000", None),
        (True, None),
        (None, None),
    ],
)
def test_a_claim_is_a_number_only_when_it_is_one(value, expected):
    assert tokens.number({"exp": value}, "exp") == expected
    assert tokens.number({}, "exp") is None
