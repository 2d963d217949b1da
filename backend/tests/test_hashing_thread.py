"""Password hashing runs on one low-priority thread per process (see app/passwords.py).

What this protects: a burst of logins must not take every core from the token checks.
"""

import os
import sys
import threading
import time

import pytest
from argon2 import PasswordHasher

from app.passwords import HASHING_NICENESS, check_password, hash_password


@pytest.fixture
def spy_verify(monkeypatch):
    """Record where each verify runs and how many run at the same moment."""
    seen = {"threads": set(), "running": 0, "most_at_once": 0, "niceness": set()}
    lock = threading.Lock()
    real_verify = PasswordHasher.verify

    def spy(self, hash_, password):
        with lock:
            seen["threads"].add(threading.current_thread().name)
            seen["niceness"].add(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
            seen["running"] += 1
            seen["most_at_once"] = max(seen["most_at_once"], seen["running"])
        time.sleep(0.02)  # long enough that simultaneous logins would overlap here
        try:
            return real_verify(self, hash_, password)
        finally:
            with lock:
                seen["running"] -= 1

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return seen


@pytest.mark.parametrize("threads", [1, 2])
def test_simultaneous_logins_hash_at_most_n_at_a_time_off_the_request_threads(
    make_app, spy_verify, threads
):
    """Each running hash holds 64 MiB: PASSWORD_HASH_THREADS bounds how many run at once."""
    app = make_app(schema=None, PASSWORD_HASH_THREADS=threads)
    with app.app_context():
        stored = hash_password("correct horse")
    results = []

    def log_in(password):
        with app.app_context():
            results.append(check_password(stored, password))

    requests = [
        threading.Thread(target=log_in, args=(pw,), name=f"request-{i}")
        for i, pw in enumerate(["correct horse", "wrong", "correct horse", "wrong"] * 2)
    ]
    for request in requests:
        request.start()
    for request in requests:
        request.join()

    assert sorted(results) == [False] * 4 + [True] * 4  # answers unchanged
    assert spy_verify["most_at_once"] == threads
    assert len(spy_verify["threads"]) == threads
    assert all(name.startswith("argon2") for name in spy_verify["threads"])


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread priority is Linux-only")
def test_the_hashing_thread_runs_at_a_lower_cpu_priority(app, spy_verify):
    with app.app_context():
        check_password(hash_password("correct horse"), "correct horse")
    assert spy_verify["niceness"] == {HASHING_NICENESS}
    # The request thread itself keeps its normal priority.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < HASHING_NICENESS
