"""Password hashing with argon2id (argon2-cffi).

The lesson stored passwords in plain text and looked users up by username AND password; we keep
only an argon2id hash and verify the typed password against it.

Parameters: argon2-cffi's RFC 9106 "low memory" profile (argon2id, 64 MiB, 3 passes, 4 lanes),
which is also its default. It is well above OWASP's minimum (19 MiB, 2 passes, 1 lane) and costs
about 0.1 s per login on one core: slow for an attacker with a stolen database, fine for a person.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

PROFILES = {
    "default": profiles.RFC_9106_LOW_MEMORY,
    # Only for the test suite (PASSWORD_HASH_PROFILE="test"): still argon2id, but microseconds.
    "test": profiles.CHEAPEST,
}


@cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[profile])


@cache
def _dummy_hash(profile: str) -> str:
    # Made once, lazily, with the same parameters as real hashes so it costs the same to verify.
    return _hasher(profile).hash("not the password of any user")


def _profile() -> str:
    return current_app.config["PASSWORD_HASH_PROFILE"]


def hash_password(plain: str) -> str:
    """Hash a password with a fresh random salt (the salt is stored inside the hash string)."""
    return _hasher(_profile()).hash(plain)


def check_password(password_hash: str, plain: str) -> bool:
    """Return True when `plain` matches `password_hash`; never raises for a wrong password."""
    try:
        return _hasher(_profile()).verify(password_hash, plain)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker (older) parameters than the current ones."""
    return _hasher(_profile()).check_needs_rehash(password_hash)


def check_password_of_unknown_user(plain: str) -> bool:
    """Spend one argon2 verification, like a real check, and return False.

    Without this, "no such user" would answer in microseconds and "wrong password" in 0.1 s,
    and the difference tells an attacker which usernames exist.
    """
    check_password(_dummy_hash(_profile()), plain)
    return False
