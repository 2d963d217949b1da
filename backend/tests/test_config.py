"""Settings: the JWT secret policy and the environment variables."""

import base64
import os
import secrets
import stat
from datetime import timedelta

import pytest
from helpers import TEST_SECRET

from app.config import SETTINGS, ConfigError, check_secret, load_settings
from app.key_strength import worth_bits

# Made with secrets.token_urlsafe(32): 43 random characters.
GOOD_KEY = "eyt3dq-_GoHqINrp5zHB7pirCWujCZTdk6DMd_TEMGM"


@pytest.fixture
def environ(monkeypatch, tmp_path):
    """A clean environment: none of the app's variables, and no `.env` file read."""
    variables = [setting.variable or name for name, setting in SETTINGS.items()]
    for name in [*variables, "WEB_CONCURRENCY"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("app.config.load_dotenv", lambda *args, **kwargs: False)
    return monkeypatch


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (None, "is not set"),
        ("", "is not set"),
        ("super-secret", "placeholder"),
        ("change-me", "placeholder"),
        ("changeme", "placeholder"),
        ("secret", "placeholder"),
        ("please-changeme-before-deploying-this-app", "placeholder"),
        ("short-but-random-Zx81", "shorter than 32 bytes"),
        ("a" * 40, "too repetitive"),
    ],
)
def test_production_refuses_a_missing_or_weak_secret(environ, key, why):
    environ.setenv("APP_ENV", "production")
    if key is not None:
        environ.setenv("JWT_SECRET_KEY", key)

    with pytest.raises(ConfigError, match=why) as raised:
        load_settings()

    assert "secrets.token_urlsafe" in str(raised.value)  # says how to make a good key
    assert "flask --app app gen-secret" in str(raised.value)


GUESSABLE_KEYS = {
    "a repeat": "abcdefgh" * 4,
    "a repeated password": "Summer2026!" * 4,
    "hex counting": "".join(f"{i:02x}" for i in range(32)),
    "hex digits, repeated": "0123456789abcdef" * 4,
    "decimal counting": "".join(str(i) for i in range(40)),
    "the alphabet and digits": "k3Y-abcdefghijklmnopqrstuvwxyz0123456789",
    "a keyboard walk": "qwertyuiopasdfghjklzxcvbnm1234567890",
    "a phrase": "correct horse battery staple jwt classroom",
    "a phrase in camel case": "ThisIsMyVerySecretKeyForTheJwtClassroom2026!",
    "a phrase with hyphens": "my-super-secret-jwt-signing-key-for-the-classroom-2026",
    "a sentence": "JWT Classroom production key, do not share with anyone please!",
}


@pytest.mark.parametrize("key", GUESSABLE_KEYS.values(), ids=GUESSABLE_KEYS.keys())
def test_production_refuses_a_long_but_guessable_secret(environ, key):
    assert len(key.encode()) >= 32  # long enough: only its guessability gives it away
    environ.setenv("APP_ENV", "production")
    environ.setenv("JWT_SECRET_KEY", key)

    with pytest.raises(ConfigError, match="too easy to guess") as raised:
        load_settings()

    assert "flask --app app gen-secret" in str(raised.value)
    assert "secrets.token_urlsafe(48)" in str(raised.value)


RANDOM_KEYS = {
    "urlsafe, 32 characters (24 bytes)": "DsxfkoTyDEPXmwiqq9g6enERpQBTdb2S",
    "urlsafe, 43 characters (32 bytes)": GOOD_KEY,
    "hex, 64 characters (32 bytes)": (
        "5313939dc57321c6d8716ddc137375fe3af714d636b117600b974119116c9b2b"
    ),
    "the test suite's key": TEST_SECRET,
}


@pytest.mark.parametrize("key", RANDOM_KEYS.values(), ids=RANDOM_KEYS.keys())
def test_production_starts_with_a_random_secret(environ, key):
    environ.setenv("APP_ENV", "production")
    environ.setenv("JWT_SECRET_KEY", key)
    assert load_settings()["JWT_SECRET_KEY"] == key


ENCODED_128_BIT_KEYS = {
    "hex": lambda: secrets.token_hex(16),
    "HEX": lambda: secrets.token_hex(16).upper(),
    "base64url": lambda: secrets.token_urlsafe(16),
    "base64": lambda: base64.b64encode(secrets.token_bytes(16)).decode(),
}


@pytest.mark.parametrize("make", ENCODED_128_BIT_KEYS.values(), ids=ENCODED_128_BIT_KEYS.keys())
def test_128_random_bits_are_worth_128_bits_in_every_common_encoding(make):
    """Chance pieces (a date in a run of digits, `cafe` in hex) must not sink a random key."""
    keys = [make() for _ in range(200)]
    assert [key for key in keys if worth_bits(key) < 128] == []


@pytest.mark.parametrize("key", GUESSABLE_KEYS.values(), ids=GUESSABLE_KEYS.keys())
def test_a_guessable_key_is_not_worth_its_encodings_bits(key):
    assert worth_bits(key) < 128


@pytest.mark.parametrize("run", range(20))
def test_production_accepts_a_token_hex_16_key(environ, run):
    key = secrets.token_hex(16)  # 128 bits in 32 characters
    environ.setenv("APP_ENV", "production")
    environ.setenv("JWT_SECRET_KEY", key)
    assert load_settings()["JWT_SECRET_KEY"] == key


def test_a_key_counting_up_from_minus_five_is_judged_not_a_crash():
    """int() reads "-5" as a number: counting is looked for from digits only."""
    with pytest.raises(ConfigError, match="too easy to guess"):
        check_secret("-5-4-3-2-10123456789abcdefghijkl", production=True)


@pytest.mark.parametrize("run", range(20))
def test_production_accepts_every_key_gen_secret_makes(runner, environ, run):
    key = runner.invoke(args=["gen-secret"]).output.strip()
    assert len(key) == 64
    environ.setenv("APP_ENV", "production")
    environ.setenv("JWT_SECRET_KEY", key)
    assert load_settings()["JWT_SECRET_KEY"] == key


def test_production_accepts_the_key_development_makes(environ, tmp_path):
    made = load_settings({"JWT_SECRET_FILE": tmp_path / "jwt-secret"})["JWT_SECRET_KEY"]
    environ.setenv("APP_ENV", "production")
    environ.setenv("JWT_SECRET_KEY", made)
    assert load_settings()["JWT_SECRET_KEY"] == made


def test_development_makes_a_key_once_and_reuses_it(environ, tmp_path):
    key_file = tmp_path / "instance" / "jwt-secret"

    first = load_settings({"JWT_SECRET_FILE": key_file})["JWT_SECRET_KEY"]
    second = load_settings({"JWT_SECRET_FILE": key_file})["JWT_SECRET_KEY"]

    assert first == second == key_file.read_text().strip()
    assert len(first.encode()) >= 32
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert list(key_file.parent.iterdir()) == [key_file]  # no temporary file left behind


def test_development_tokens_survive_a_restart(environ, tmp_path, make_app):
    """The point of keeping the key in a file: a token from before a restart still works."""
    dev = {
        "APP_ENV": "development",
        "JWT_SECRET_KEY": None,
        "JWT_SECRET_FILE": tmp_path / "jwt-secret",
    }
    first = make_app(**dev)
    client = first.test_client()
    client.post("/api/signup", json={"username": "alice", "password": "correct horse"})
    token = client.post(
        "/api/token", json={"username": "alice", "password": "correct horse"}
    ).get_json()["token"]

    restarted = make_app(schema=None, **dev).test_client()
    response = restarted.get("/api/protected", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_testing_needs_an_explicit_key(environ):
    environ.setenv("APP_ENV", "testing")
    with pytest.raises(ConfigError, match="is not set"):
        load_settings()


def test_settings_come_from_the_environment(environ):
    environ.setenv("JWT_SECRET_KEY", GOOD_KEY)
    environ.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    environ.setenv("ACCESS_TOKEN_TTL", "30")
    environ.setenv("CORS_ORIGINS", "http://a.example, http://b.example/")
    environ.setenv("DEMO_MODE", "yes")

    settings = load_settings()

    assert settings["SQLALCHEMY_DATABASE_URI"] == "sqlite:///elsewhere.db"
    assert settings["ACCESS_TOKEN_TTL"] == 30
    assert settings["JWT_ACCESS_TOKEN_EXPIRES"] == timedelta(seconds=30)
    assert settings["CORS_ORIGINS"] == ["http://a.example", "http://b.example"]
    assert settings["DEMO_MODE"] is True
    assert settings["JWT_DECODE_ALGORITHMS"] == ["ES256"]  # JWT_SIGNING's default, es256


def test_defaults(environ):
    environ.setenv("JWT_SECRET_KEY", GOOD_KEY)
    settings = load_settings()
    assert settings["APP_ENV"] == "development"
    assert settings["SQLALCHEMY_DATABASE_URI"].endswith("backend/instance/classroom.db")
    assert settings["ACCESS_TOKEN_TTL"] == 900
    assert settings["REFRESH_TOKEN_TTL"] == 604800
    assert settings["CORS_ORIGINS"] == []  # make run serves the SPA itself: no CORS needed
    assert settings["DEMO_MODE"] is False
    assert settings["MAX_CONTENT_LENGTH"] == 16 * 1024


@pytest.mark.parametrize("value", ["0", "off", "no", "false", ""])
def test_demo_mode_off_values(environ, value):
    environ.setenv("JWT_SECRET_KEY", GOOD_KEY)
    environ.setenv("DEMO_MODE", value)
    assert load_settings()["DEMO_MODE"] is False


# A bad value stops the start, with the setting's name and what is wrong with it.
BAD_SETTINGS = [
    ("APP_ENV", "staging", "APP_ENV must be one of"),
    ("ACCESS_TOKEN_TTL", "15m", "whole number"),
    ("ACCESS_TOKEN_TTL", "0", "positive"),
    ("CORS_ORIGINS", "*", "not allowed"),
    ("PASSWORD_HASH_THREADS", "0", "whole number from 1"),
    ("PASSWORD_HASH_THREADS", "-1", "whole number from 1"),
    ("PASSWORD_HASH_THREADS", "two", "whole number from 1"),
    ("PASSWORD_HASH_THREADS", "1.5", "whole number from 1"),
    # A room's teacher password follows the password rules.
    ("DEMO_TEACHER_PASSWORD", "short", "DEMO_TEACHER_PASSWORD must be 8-128 characters"),
    ("DEMO_TEACHER_PASSWORD", "x" * 129, "DEMO_TEACHER_PASSWORD must be 8-128 characters"),
    ("DEMO_TEACHER_PASSWORD", "teacher2026", "DEMO_TEACHER_PASSWORD: This password is"),
    ("DEMO_TEACHER_PASSWORD", "12345678", "DEMO_TEACHER_PASSWORD: This password is too common"),
    ("RATELIMIT_LOGIN_PER_USERNAME", "lots", "must be a rate limit"),
    ("RATELIMIT_SIGNUP_PER_ADDRESS", "5/fortnight", "must be a rate limit"),
    ("RATELIMIT_LAB_TOKENS_PER_SESSION", "often", "must be a rate limit"),
    ("RATELIMIT_LAB_TOKENS_PER_USER", "30/jiffy", "must be a rate limit"),
    ("RATELIMIT_REFRESH_PER_SESSION", "", "must be a rate limit"),
    ("PROXY_FIX_X_FOR", "-1", "cannot be negative"),
    ("PROXY_FIX_X_FOR", "yes", "whole number"),
    ("JWT_SIGNING", "rs512", "must be one of hs256, es256, rs256, eddsa"),
    ("JWT_SIGNING", "none", "must be one of"),
    ("JWT_ISSUER", " ", "must not be empty"),
    ("JWT_AUDIENCE", "", "must not be empty"),
    ("SIGNING_KEYS_REFRESH", "0", "positive"),
]


@pytest.mark.parametrize(("name", "value", "why"), BAD_SETTINGS)
def test_a_bad_setting_stops_the_start_with_its_name_and_a_reason(environ, name, value, why):
    environ.setenv("JWT_SECRET_KEY", GOOD_KEY)
    environ.setenv(name, value)
    with pytest.raises(ConfigError, match=why) as raised:
        load_settings()
    assert name in str(raised.value)


@pytest.mark.parametrize(
    ("cores", "variables", "threads"),
    [
        (2, {}, 2),  # make run: one process, so it hashes on every core
        (16, {}, 4),  # ... but at most 4 at once (64 MiB each)
        (1, {}, 1),
        (2, {"APP_ENV": "production"}, 1),  # one process per core: one hash each
        (8, {"WEB_CONCURRENCY": "2"}, 4),
        (2, {"WEB_CONCURRENCY": "4"}, 1),
        (2, {"PASSWORD_HASH_THREADS": "3"}, 3),
    ],
)
def test_hashing_threads_default_to_one_per_core_of_the_server(environ, cores, variables, threads):
    environ.setattr("os.cpu_count", lambda: cores)
    environ.setenv("JWT_SECRET_KEY", GOOD_KEY)
    for name, value in variables.items():
        environ.setenv(name, value)
    assert load_settings()["PASSWORD_HASH_THREADS"] == threads
