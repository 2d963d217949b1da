"""Settings, read from the environment (and `.env` at the repo root).

Everything that can be changed is in SETTINGS, read here and nowhere else, so a student can see
in one file what can be changed and what the defaults are; load_settings adds the fixed rest.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from dotenv import load_dotenv
from limits import parse_many

from app.common_passwords import why_refused
from app.key_strength import worth_bits

BACKEND_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BACKEND_DIR.parent
INSTANCE_DIR = BACKEND_DIR / "instance"

APP_ENVS = ("development", "testing", "production")
TRUTHY = {"1", "true", "yes", "on"}
FALSY = {"0", "false", "no", "off"}

# RFC 7518 §3.2: an HS256 key must be at least as long as the hash (32 bytes); PyJWT warns below.
# Length is not strength (a long phrase is still guessable): production also estimates the cost.
MIN_SECRET_BYTES = 32
# Values people copy from tutorials. The lesson's own "super-secret" is the first one.
PLACEHOLDER_SECRETS = {
    "super-secret",
    "supersecret",
    "super-secret-key",
    "change-me",
    "changeme",
    "change_me",
    "change-this",
    "secret",
    "secret-key",
    "jwt-secret",
    "jwt-secret-key",
    "your-secret-key",
    "my-secret",
    "dev",
    "development",
    "test",
    "password",
}
# Production wants a key that looks random: an estimated 128 bits or more (app/key_strength.py).
MIN_SECRET_BITS = 128
# Hashing threads per process at most, by default (see default_hash_threads).
MAX_HASH_THREADS = 4
# The one-line Python works anywhere; `flask gen-secret` loads the app, so it runs where the
# app can start (development), not on the server whose key is being refused.
# JWT_SIGNING: the modes, and the algorithm (RFC 7518, RFC 8037) each signs every token with.
# hs256 is the lesson's shared secret; the others sign with a private key and publish the public
# key at /.well-known/jwks.json (app/keys.py).
SIGNING_ALGORITHMS = {"hs256": "HS256", "es256": "ES256", "rs256": "RS256", "eddsa": "EdDSA"}
HOW_TO_MAKE_A_KEY = (
    'Create one with: python3 -c "import secrets; print(secrets.token_urlsafe(48))" '
    "(or, on a development machine: cd backend && .venv/bin/flask --app app gen-secret) "
    "and put it in JWT_SECRET_KEY (environment or .env at the repo root)."
)


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message says how to fix it."""


def is_truthy(value: str | None) -> bool:
    """Read an on/off environment variable: "1", "true", "yes" and "on" mean on."""
    return (value or "").strip().lower() in TRUTHY


def is_falsy(value: str | None) -> bool:
    """True for "0", "false", "no" and "off": settings that are on unless switched off."""
    return (value or "").strip().lower() in FALSY


# --- Reading one setting: each reader gets the setting's name and its text --------------------


def text(_name: str, raw: str) -> str:
    """The value as written, without surrounding spaces."""
    return raw.strip()


def lowercase(_name: str, raw: str) -> str:
    """Case does not matter: "Production" is "production"."""
    return raw.strip().lower()


def on_if_truthy(_name: str, raw: str) -> bool:
    """Off unless switched on ("1", "true", "yes", "on")."""
    return is_truthy(raw)


def on_unless_falsy(_name: str, raw: str) -> bool:
    """On unless switched off ("0", "false", "no", "off")."""
    return not is_falsy(raw)


def seconds(name: str, raw: str) -> int:
    """A positive whole number of seconds."""
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of seconds, got {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}.")
    return value


def origins(name: str, raw: str) -> list[str]:
    """A comma-separated list of origins (scheme://host[:port]), never "*"."""
    listed = [origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()]
    # Browsers refuse a literal "*" with credentials (the refresh cookie); the real risk is
    # echoing back whatever Origin asks: a page on this host's other ports (cookies ignore ports)
    # could then refresh and read the token. Other sites get no cookie (SameSite=Strict).
    if "*" in listed:
        raise ConfigError(f"{name} must list origins explicitly; '*' is not allowed.")
    return listed


def rate_limit(name: str, raw: str) -> str:
    """A rate limit such as "5/minute" or "100 per hour", checked at startup, not on first use."""
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(
            f"{name} must be a rate limit such as '5/minute' or '100 per hour', got {raw!r}."
        ) from None
    return raw


def proxy_hops(name: str, raw: str) -> int:
    """How many proxies: a whole number from 0."""
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of proxies, got {raw!r}.") from None
    if value < 0:
        raise ConfigError(f"{name} cannot be negative, got {value}.")
    return value


def database_url(_name: str, raw: str) -> str:
    """A SQLAlchemy database URL; empty means the SQLite file of `make run`."""
    return raw.strip() or f"sqlite:///{INSTANCE_DIR / 'classroom.db'}"


def secret_key(_name: str, raw: str) -> str | None:
    """The signing key, or None when unset (checked in load_settings)."""
    return raw.strip() or None


def signing_mode(name: str, raw: str) -> str:
    """One of SIGNING_ALGORITHMS' modes; case does not matter."""
    mode = raw.strip().lower()
    if mode not in SIGNING_ALGORITHMS:
        raise ConfigError(f"{name} must be one of {', '.join(SIGNING_ALGORITHMS)}, got {raw!r}.")
    return mode


def claim_value(name: str, raw: str) -> str:
    """A token claim's value (`iss`, `aud`): any text but an empty one."""
    value = raw.strip()
    if not value:
        raise ConfigError(f"{name} must not be empty.")
    return value


def spa_dist(_name: str, raw: str) -> Path:
    """Where the built SPA is; empty means frontend/dist of this repository."""
    return Path(raw.strip() or REPO_ROOT / "frontend" / "dist")


def teacher_password(name: str, raw: str) -> str | None:
    """Empty for the public demo teacher, else a password of 8-128 characters, not a common one."""
    if not raw:
        return None
    if not 8 <= len(raw) <= 128:
        raise ConfigError(f"{name} must be 8-128 characters long")
    if reason := why_refused(raw, "teacher"):
        raise ConfigError(f"{name}: {reason}")
    return raw


def at_least_one(name: str, raw: str) -> int:
    """A whole number from 1."""
    raw = raw.strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number from 1, got {raw!r}.")
    return int(raw)


def hash_threads(name: str, raw: str) -> int | None:
    """A whole number from 1, or None for the default (see default_hash_threads)."""
    return at_least_one(name, raw) if raw.strip() else None


def default_hash_threads(env: Mapping[str, str]) -> int:
    """PASSWORD_HASH_THREADS by default: one per core this process has, at most 4.

    The server (serve.py) runs WEB_CONCURRENCY processes, by default one per core in
    production and one otherwise (`make run`): dividing the cores between them means the server
    as a whole hashes at most one password per core at once, so a burst of logins uses every core
    while memory stays at 64 MiB per core. Past 4, a class's burst would end little sooner and
    each thread costs another 64 MiB.
    """
    cores = os.cpu_count() or 1
    production = env.get("APP_ENV", "development").strip().lower() == "production"
    try:
        processes = int(env.get("WEB_CONCURRENCY", "") or (cores if production else 1))
    except ValueError:
        processes = 1  # serve.py itself refuses the value; this is only a default
    return max(1, min(MAX_HASH_THREADS, cores // max(processes, 1)))


@dataclass(frozen=True)
class Setting:
    """A setting read from an environment variable of the same name (or `variable`)."""

    default: str
    read: Callable[[str, str], Any] = text
    variable: str | None = None


# Every setting that comes from the environment: its default (as the text you would write in
# .env) and how it is read. The rest of the configuration is fixed in load_settings.
SETTINGS: dict[str, Setting] = {
    "APP_ENV": Setting("development", lowercase),
    # A SQLite file by default (`make run`); PostgreSQL when several processes share the data.
    "SQLALCHEMY_DATABASE_URI": Setting("", database_url, variable="DATABASE_URL"),
    "JWT_SECRET_KEY": Setting("", secret_key),
    # How tokens are signed (app/keys.py): es256 by default, hs256 as in the lesson.
    "JWT_SIGNING": Setting("es256", signing_mode),
    # Who makes the tokens (`iss`) and what they are for (`aud`): set on every token and checked
    # on every request, so a token another service issued, or one meant for another API, is 401.
    "JWT_ISSUER": Setting("jwt-classroom", claim_value),
    "JWT_AUDIENCE": Setting("jwt-classroom-api", claim_value),
    # How old this process's copy of the signing keys may get before it reads them again: a
    # rotation or a retirement reaches every API process within this many seconds.
    "SIGNING_KEYS_REFRESH": Setting("5", seconds),
    "ACCESS_TOKEN_TTL": Setting("900", seconds),  # 15 minutes
    "REFRESH_TOKEN_TTL": Setting("604800", seconds),  # 7 days
    # A session's absolute lifetime, from the login: refreshes never take a session past it.
    "SESSION_MAX_AGE": Setting("2592000", seconds),  # 30 days
    # No cross-origin caller by default: `make run` serves the SPA from the API's own origin.
    # A default list would trust whatever else runs on that port (cookies ignore ports).
    "CORS_ORIGINS": Setting("", origins),
    "DEMO_MODE": Setting("", on_if_truthy),
    # `make room` sets it: a room's demo teacher gets a password only the teacher's screen
    # shows, and the login page lists the student accounts only.
    "DEMO_TEACHER_PASSWORD": Setting("", teacher_password),
    "SPA_DIST": Setting("", spa_dist),
    # How many passwords this process hashes at once (64 MiB each with the default profile).
    "PASSWORD_HASH_THREADS": Setting("", hash_threads),
    # How many logins one process lets wait for (or run on) those threads before it answers 503
    # (app/passwords.py); by default half its request threads (WEB_THREADS).
    "PASSWORD_HASH_QUEUE": Setting("", hash_threads),
    # Requests one server process serves at once (serve.py), and so the database connections
    # it keeps open: one per thread (SQLALCHEMY_ENGINE_OPTIONS below).
    "WEB_THREADS": Setting("8", at_least_one),
    # Rate limits (the lesson had none: a script could try passwords as fast as the CPU
    # hashes them). Only FAILED logins count, so a class logging in is never blocked.
    "RATELIMIT_ENABLED": Setting("", on_unless_falsy),
    "RATELIMIT_STORAGE_URI": Setting("memory://"),
    "RATELIMIT_LOGIN_PER_USERNAME": Setting("5/minute", rate_limit),
    "RATELIMIT_LOGIN_PER_ADDRESS": Setting("100/minute", rate_limit),
    "RATELIMIT_SIGNUP_PER_ADDRESS": Setting("50/hour", rate_limit),
    # Each call to the tamper lab's POST /api/lab/tokens writes a blocklist row.
    "RATELIMIT_LAB_TOKENS_PER_SESSION": Setting("30/minute", rate_limit),
    # Per user too (a new login is a new session); a shared demo account counts per address.
    "RATELIMIT_LAB_TOKENS_PER_USER": Setting("120/minute", rate_limit),
    # Each refresh stores a refresh token for REFRESH_TOKEN_TTL; the SPA refreshes about
    # once per access-token lifetime.
    "RATELIMIT_REFRESH_PER_SESSION": Setting("30/minute", rate_limit),
    # How many reverse proxies in front of us may be believed about the client's address
    # (X-Forwarded-For). 0 = none: the header is ignored, since any client can send it.
    "PROXY_FIX_X_FOR": Setting("0", proxy_hops),
    # Extra origins the SPA may call (connect-src), when it is built to call another API.
    "CSP_CONNECT_SRC": Setting("", origins),
}


def make_secret() -> str:
    """A new random signing key: 48 random bytes, URL-safe base64 (64 characters, 384 bits)."""
    return secrets.token_urlsafe(48)


def check_secret(key: str, *, production: bool = False) -> None:
    """Refuse a JWT signing key that is too short or a well-known placeholder.

    In production also one that does not look random: a phrase, a repeat, counting (see
    app/key_strength.py).
    """
    normalised = key.strip().lower()
    if normalised in PLACEHOLDER_SECRETS or "change-me" in normalised or "changeme" in normalised:
        raise ConfigError(f"JWT_SECRET_KEY is a placeholder value. {HOW_TO_MAKE_A_KEY}")
    if len(key.encode()) < MIN_SECRET_BYTES:
        raise ConfigError(
            f"JWT_SECRET_KEY is shorter than {MIN_SECRET_BYTES} bytes. {HOW_TO_MAKE_A_KEY}"
        )
    if len(set(key)) < 8:
        raise ConfigError(f"JWT_SECRET_KEY is too repetitive to be random. {HOW_TO_MAKE_A_KEY}")
    if production and (bits := worth_bits(key)) < MIN_SECRET_BITS:
        raise ConfigError(
            f"JWT_SECRET_KEY is too easy to guess for production: about {bits:.0f} bits, "
            f"{MIN_SECRET_BITS} needed (words, repeats and counting cost an attacker little). "
            f"{HOW_TO_MAKE_A_KEY}"
        )


def development_secret(path: Path) -> str:
    """Return the development key stored at `path`, creating it (mode 0600) on first use.

    Keeping the key in a file means tokens survive a restart of `make run`.
    """
    return kept_in_file(path, make_secret)


def kept_in_file(path: Path, make: Callable[[], str], *, new: str | None = None) -> str:
    """The secret kept at `path` (only its owner may read it: mode 0600), made on first use.

    `new` replaces what is kept. The file is written whole under another name and then put in
    place, so a reader never sees half of one.
    """
    if new is None and path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(new if new is not None else make())
    try:
        if new is not None:
            os.replace(tmp, path)
        else:
            # link() never overwrites: if another process won the race, we use its secret.
            os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def read_setting(name: str, env: Mapping[str, str]) -> Any:
    """One setting's value in `env` (its default if unset), read as its row in SETTINGS says."""
    setting = SETTINGS[name]
    return setting.read(name, env.get(setting.variable or name, setting.default))


def load_settings(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config from the environment, then apply `overrides` (used by tests).

    `.env` at the repo root is loaded first but never overrides a real environment variable.
    """
    load_dotenv(REPO_ROOT / ".env", override=False)
    env = os.environ
    settings: dict[str, Any] = {name: read_setting(name, env) for name in SETTINGS}
    if settings["PASSWORD_HASH_THREADS"] is None:
        settings["PASSWORD_HASH_THREADS"] = default_hash_threads(env)
    settings.update(
        {
            "JWT_SECRET_FILE": INSTANCE_DIR / "jwt-secret",
            # The room's teacher password (`make room`, `flask teacher-password`).
            "TEACHER_PASSWORD_FILE": INSTANCE_DIR / "teacher-password",
            # Bodies over 16 KiB get 413 before any view runs: login forms are tiny.
            "MAX_CONTENT_LENGTH": 16 * 1024,
            # argon2 parameters: "default" in real use, "test" (cheap, still argon2id) in tests.
            "PASSWORD_HASH_PROFILE": "default",
        }
    )
    settings.update(overrides or {})

    if settings["APP_ENV"] not in APP_ENVS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(APP_ENVS)}.")
    settings["TESTING"] = settings["APP_ENV"] == "testing" or settings.get("TESTING", False)

    # The lesson hard-coded "super-secret"; a guessable key lets anyone mint valid tokens,
    # so the key comes from the environment and weak ones are refused.
    key = settings["JWT_SECRET_KEY"]
    if key is None:
        if settings["APP_ENV"] != "development":
            raise ConfigError(
                f"JWT_SECRET_KEY is not set (APP_ENV={settings['APP_ENV']}). {HOW_TO_MAKE_A_KEY}"
            )
        key = development_secret(Path(settings["JWT_SECRET_FILE"]))
    check_secret(key, production=settings["APP_ENV"] == "production")
    settings["JWT_SECRET_KEY"] = key

    settings.update(
        {
            # One algorithm, JWT_SIGNING's: accepting a token's own "alg" is how "alg: none"
            # and algorithm-confusion attacks work (RFC 8725 section 3.1).
            "JWT_ALGORITHM": SIGNING_ALGORITHMS[settings["JWT_SIGNING"]],
            "JWT_DECODE_ALGORITHMS": [SIGNING_ALGORITHMS[settings["JWT_SIGNING"]]],
            # flask-jwt-extended puts `iss` and `aud` in every token and, with the DECODE ones
            # set, PyJWT refuses a token without them or with other values.
            "JWT_ENCODE_ISSUER": settings["JWT_ISSUER"],
            "JWT_DECODE_ISSUER": settings["JWT_ISSUER"],
            "JWT_ENCODE_AUDIENCE": settings["JWT_AUDIENCE"],
            "JWT_DECODE_AUDIENCE": settings["JWT_AUDIENCE"],
            # Access tokens travel in the Authorization header (the lesson's way), refresh tokens
            # in a cookie; each view says which one it accepts with jwt_required(locations=...).
            "JWT_TOKEN_LOCATION": ["headers", "cookies"],
            "JWT_ACCESS_TOKEN_EXPIRES": timedelta(seconds=settings["ACCESS_TOKEN_TTL"]),
            "JWT_REFRESH_TOKEN_EXPIRES": timedelta(seconds=settings["REFRESH_TOKEN_TTL"]),
            # The refresh cookie: JavaScript cannot read it (HttpOnly, always set by the library),
            # the browser sends it only to the refresh endpoint (path) and only from our own site
            # (SameSite=Strict), and only over HTTPS in production (Secure).
            "JWT_REFRESH_COOKIE_PATH": "/api/token/refresh",
            "JWT_COOKIE_SAMESITE": "Strict",
            "JWT_COOKIE_SECURE": settings.get(
                "JWT_COOKIE_SECURE", settings["APP_ENV"] == "production"
            ),
            # CSRF double submit: the refresh token holds a random `csrf` value, also put in the
            # readable cookie `csrf_refresh_token`; the SPA must echo it in X-CSRF-TOKEN, for the
            # JWT_CSRF_METHODS (the library's default: POST, PUT, PATCH, DELETE). SameSite=Strict
            # already keeps other sites' requests from carrying the cookie; the header covers the
            # rest (a page on another subdomain of our site; any site, in a browser without
            # SameSite): such a page can make the browser send the cookie, but cannot read the
            # value to copy it. A page on this host's other ports can: see CORS_ORIGINS.
            # (The library then puts a `csrf` claim in every token, access tokens too: harmless.)
            "JWT_COOKIE_CSRF_PROTECT": True,
            "JWT_CSRF_IN_COOKIES": True,
            "JWT_REFRESH_CSRF_COOKIE_PATH": "/",
            # Keep the cookies across browser restarts, for as long as the refresh token lives
            # (we pass max_age when setting them).
            "JWT_SESSION_COOKIE": False,
            "JWT_ERROR_MESSAGE_KEY": "msg",
            # One database connection per request thread, kept open: a thread holds at most one
            # at a time, so under any load the pool neither opens nor closes one, and PostgreSQL
            # sees at most processes x threads connections. No test query before each use (a
            # round trip on every request): a connection the database dropped fails when used,
            # SQLAlchemy then replaces every pooled connection, and the token check, a read,
            # asks once more (lifecycle.read_token_state).
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_size": settings["WEB_THREADS"],
                "max_overflow": 0,
            },
        }
    )
    return settings
