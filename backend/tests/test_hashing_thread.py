"""Password hashing runs on one low-priority thread per process (see app/passwords.py).

What this protects: a burst of logins must not take every core from the token checks.
"""

import os
import sys
import threading
import time

import pytest
from argon2 import PasswordHasher

from app.passwords import BUSY, HASHING_NICENESS, check_password, hash_password


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
    # A place in the hashing queue for each of the 8 logins below.
    app = make_app(schema=None, PASSWORD_HASH_THREADS=threads, PASSWORD_HASH_QUEUE=8)
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


def test_a_login_that_finds_the_hashing_queue_full_gets_503_and_token_checks_still_answer(
    make_app, monkeypatch
):
    """Waiting logins hold at most half the request threads: the next one is told to retry."""
    # 2 request threads: by default 1 place in the hashing queue.
    app = make_app(PASSWORD_HASH_THREADS=1, WEB_THREADS=2)
    client = app.test_client()
    account = {"username": "ada", "password": "correct horse 1"}
    assert client.post("/api/signup", json=account).status_code == 201
    token = client.post("/api/token", json=account).get_json()["token"]

    release = threading.Event()
    hashing = threading.Event()
    real_verify = PasswordHasher.verify

    def held_verify(self, hash_, password):
        hashing.set()
        release.wait(10)
        return real_verify(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", held_verify)
    first = []
    login = threading.Thread(
        target=lambda: first.append(app.test_client().post("/api/token", json=account))
    )
    login.start()
    try:
        assert hashing.wait(10)  # the first login's hash runs and holds the only place
        busy = client.post("/api/token", json=account)
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "1"
        assert busy.get_json() == {"msg": BUSY, "error": "server_busy"}
        # Meanwhile a token check answers as usual.
        me = client.get("/api/protected", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
    finally:
        release.set()
        login.join()
    assert first[0].status_code == 200  # the login that found a place was served
    assert client.post("/api/token", json=account).status_code == 200  # and the place is free
