"""Password hashing with argon2id (argon2-cffi).

The lesson stored passwords in plain text and looked users up by username AND password; we keep
only an argon2id hash and verify the typed password against it.

Parameters: argon2id with the memory and passes of RFC 9106's "low memory" profile (64 MiB,
3 passes), but 1 lane where that profile (argon2-cffi's default) has 4. It is well above OWASP's
minimum (19 MiB, 2 passes, 1 lane) and costs one core a fraction of a second per login
(`make bench` measures it): slow for an attacker with a stolen database, who pays it for every
guess, fine for a person, who pays it once per login.

That cost is the point, but it must not land on everyone else: forty students logging in at
once would each hold 64 MiB and fight for the cores, and each token check (a small fraction
of a hash's work) would wait its turn behind them. So hashes run on a few hashing threads per
process (PASSWORD_HASH_THREADS, see config.py: one per core the process has, so the whole server
hashes at most one password per core at once), at a lower CPU priority, with one lane: one hash
uses one core. Extra logins queue for a hashing thread asleep, holding no memory. Memory is bounded
(64 MiB x hashing threads x processes) and a burst of logins finishes as fast as the cores allow;
the lower priority is what lets a token check in meanwhile (`make bench` measures both).

A login waiting in that queue still holds one of the server's request threads (serve.py), and a
token check needs one too. So the queue is bounded: at most half of a process's request threads
wait for (or run) a hash; a login that finds the queue full gets 503 with `Retry-After: 1` at
once, and the other half of the threads stay free for everything else, however many students
press "Log in" at the same moment.
"""

from __future__ import annotations

import os
import sys
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import cache
from typing import TypeVar

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.exceptions import ServiceUnavailable

# Lanes are how many threads argon2 splits ONE hash across. With 4, each hash starts 4 threads
# that take every core at once, and token checks wait behind them during a burst of logins;
# with 1, a hash keeps to one core (`make bench` measures a token check during a login storm).
# An attacker's cost per guess is set by the memory and the passes, which stay: only the wall
# time of one login on an idle server grows.
ONE_LANE = replace(profiles.RFC_9106_LOW_MEMORY, parallelism=1)

PROFILES: dict[str, Parameters] = {
    "default": ONE_LANE,
    # Only for the test suite (PASSWORD_HASH_PROFILE="test"): still argon2id, at its lowest cost.
    "test": profiles.CHEAPEST,
}


# Niceness of the hashing thread (0 is normal, 19 the lowest priority).
HASHING_NICENESS = 10

T = TypeVar("T")


def _lower_my_priority() -> None:
    # On Linux a thread has its own priority; elsewhere this would slow the whole process down.
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


BUSY = "Many people are logging in right now; please try again in a moment"


class HashingQueue:
    """A process's hashing threads, and at most `capacity` hashes waiting for or running on them."""

    def __init__(self, threads: int, capacity: int) -> None:
        self.threads = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="argon2", initializer=_lower_my_priority
        )
        self.places = threading.BoundedSemaphore(capacity)

    def run(self, work: Callable[..., T], *args: str) -> T:
        """Run `work(*args)` on a hashing thread and wait for it (exceptions too); 503 at once
        when `capacity` hashes are already queued or running."""
        if not self.places.acquire(blocking=False):
            raise ServiceUnavailable(BUSY, retry_after=1)
        try:
            return self.threads.submit(work, *args).result()
        finally:
            self.places.release()


@cache
def _hashing_queue(pid: int, threads: int, places: int) -> HashingQueue:
    # One queue per process (the pid is part of the cache key: a forked server process makes its
    # own).
    return HashingQueue(threads, places)


def _on_hashing_thread(work: Callable[..., T], *args: str) -> T:
    """Run `work(*args)` on one of this process's hashing threads and wait for it."""
    config = current_app.config
    threads = config["PASSWORD_HASH_THREADS"]
    # Only running hashes hold memory; waiting ones hold a request thread each. By default at
    # most half of the request threads wait, and never fewer than there are hashing threads.
    places = config["PASSWORD_HASH_QUEUE"] or max(threads, config["WEB_THREADS"] // 2)
    return _hashing_queue(os.getpid(), threads, places).run(work, *args)


@cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[profile])


@cache
def _dummy_hash(profile: str) -> str:
    # Made once, lazily, with the same parameters as real hashes so it costs the same to verify.
    return _on_hashing_thread(_hasher(profile).hash, "not the password of any user")


def _profile() -> str:
    return current_app.config["PASSWORD_HASH_PROFILE"]


def _normalise(plain: str) -> str:
    # "é" can be typed as one code point or as "e" + a combining accent, depending on the
    # keyboard; NFKC makes both the same text, as NIST SP 800-63B advises. ASCII is unchanged.
    return unicodedata.normalize("NFKC", plain)


def hash_password(plain: str) -> str:
    """Hash a password with a fresh random salt (the salt is stored inside the hash string)."""
    return _on_hashing_thread(_hasher(_profile()).hash, _normalise(plain))


def check_password(password_hash: str, plain: str) -> bool:
    """Return True when `plain` matches `password_hash`; never raises for a wrong password."""
    try:
        return _on_hashing_thread(_hasher(_profile()).verify, password_hash, _normalise(plain))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker (older) parameters than the current ones."""
    return _hasher(_profile()).check_needs_rehash(password_hash)


def check_password_of_unknown_user(plain: str) -> bool:
    """Spend one argon2 verification, like a real check, and return False.

    Without this, "no such user" would answer at once and "wrong password" only after a hash,
    and the difference tells an attacker which usernames exist.
    """
    check_password(_dummy_hash(_profile()), plain)
    return False
