"""Scale-out test (`make test-scale`): two API processes behind nginx behave like one.

The topology of docker-compose.yml, run from the machine's own packages (there is no Docker
engine here): a scratch PostgreSQL database, Redis, two API servers (serve.py) A and B with the
production settings, and Debian's nginx using the project's template
(deploy/nginx/classroom.conf.template) rendered with A and B as its upstream:

    client --> nginx :N --+--> API A :a --+--> PostgreSQL (users, sessions, revocations)
                          +--> API B :b --+--> Redis      (rate-limit counters)

Every check runs through nginx AND directly against A and B. Everything the fixtures start,
they stop, and the scratch database is dropped, even when a test fails.
Needs: PostgreSQL (the server TEST_DATABASE_URL names, else 127.0.0.1:5432 with trust auth:
tools/scratch_database.py), Redis on 127.0.0.1:6379, Debian's nginx (nginx-light) and a built
SPA (frontend/dist).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tools.scratch_database import NoServer, scratch_database
from tools.servers import SPA_DIST, Process, free_port, render_nginx, start, wait_until_up

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "backend"
PYTHON = sys.executable  # backend/.venv's python: the Makefile runs pytest with it
# A Redis database of its own (0-15), emptied before and after, so no other user's counters count.
REDIS_DB = int(os.environ.get("SCALE_REDIS_DB", "13"))
PASSWORD = "correct horse battery"
# Failed logins allowed per username per minute (the production default, set explicitly here).
LOGIN_LIMIT = 5


# --- processes ---------------------------------------------------------------------------------


def flush_redis_db() -> None:
    """Empty our Redis database (SELECT + FLUSHDB on one connection)."""
    with socket.create_connection(("127.0.0.1", 6379), timeout=5) as sock:
        sock.sendall(
            f"*2\r\n$6\r\nSELECT\r\n${len(str(REDIS_DB))}\r\n{REDIS_DB}\r\n"
            "*1\r\n$7\r\nFLUSHDB\r\n".encode()
        )
        reply = b""
        while reply.count(b"\r\n") < 2:
            reply += sock.recv(1024)
    assert reply == b"+OK\r\n+OK\r\n", reply


# --- HTTP ----------------------------------------------------------------------------------------


@dataclass
class Reply:
    """What a request got back."""

    status: int
    headers: http.client.HTTPMessage
    body: dict = field(default_factory=dict)


def call(
    port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None
) -> Reply:
    """One request on a new connection (so nginx and the API see independent clients)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        all_headers = dict(headers or {})
        payload = None
        if body is not None:
            payload = json.dumps(body)
            all_headers["Content-Type"] = "application/json"
        conn.request(method, path, payload, all_headers)
        response = conn.getresponse()
        raw = response.read()
        is_json = response.getheader("Content-Type", "").startswith("application/json")
        return Reply(response.status, response.headers, json.loads(raw) if is_json else {})
    finally:
        conn.close()


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Login:
    """An access token plus the refresh cookie and its CSRF value from one login (or refresh)."""

    token: str
    cookies: dict[str, str]

    def refresh_headers(self) -> dict[str, str]:
        # APP_ENV=production marks the cookies Secure, so a client (a browser, curl, requests)
        # sends them only over https. This test talks plain http to 127.0.0.1, so it sends the
        # Cookie header itself, exactly as a browser would over https, plus the CSRF echo.
        return {
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "X-CSRF-TOKEN": self.cookies["csrf_refresh_token"],
        }


def cookies_of(reply: Reply) -> dict[str, str]:
    """Cookies set by a response (name -> value), checking that they are Secure."""
    jar: dict[str, str] = {}
    for header in reply.headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            assert morsel["secure"], f"{name} must be Secure in production"
            jar[name] = morsel.value
    return jar


def login(port: int, username: str) -> Login:
    """Log in; the answer must carry a token and the refresh + CSRF cookies."""
    reply = call(port, "POST", "/api/token", {"username": username, "password": PASSWORD})
    assert reply.status == 200, reply.body
    login = Login(reply.body["token"], cookies_of(reply))
    assert {"refresh_token_cookie", "csrf_refresh_token"} <= login.cookies.keys()
    return login


# --- the stack -----------------------------------------------------------------------------------


@dataclass
class Stack:
    """Ports of the running pieces, and how to stop one of them."""

    a: int
    b: int
    nginx: int
    api_a: Process
    api_b: Process
    nginx_process: Process
    env: dict[str, str] = field(default_factory=dict)  # the processes' settings, for `flask`

    def signup(self, prefix: str) -> str:
        """A new user (unique name), created through nginx."""
        username = f"{prefix}-{uuid.uuid4().hex[:8]}"
        reply = call(
            self.nginx, "POST", "/api/signup", {"username": username, "password": PASSWORD}
        )
        assert reply.status == 201, reply.body
        return username


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A scratch PostgreSQL database for the stack; its URL. Dropped after, even on failure."""
    try:
        with scratch_database("classroom_scale") as url:
            yield url
    except NoServer as error:  # raised before the yield, so nothing has run yet
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, database: str) -> Iterator[Stack]:
    """Redis db + API servers A and B + nginx on the `database`; all stopped after."""
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is not installed (apt-get install nginx-light)", pytrace=False)
    if not (SPA_DIST / "index.html").is_file():
        pytest.fail("frontend/dist is not built (cd frontend && npm run build)", pytrace=False)
    workdir = tmp_path_factory.mktemp("scale")
    workdir.chmod(0o755)
    started: list[Process] = []
    try:
        flush_redis_db()
        env = {
            **os.environ,
            "APP_ENV": "production",
            "JWT_SECRET_KEY": secrets.token_urlsafe(48),  # one key, shared: both must verify
            "DATABASE_URL": database,
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "RATELIMIT_LOGIN_PER_USERNAME": f"{LOGIN_LIMIT}/minute",
            # One address (127.0.0.1) makes every request here: keep the per-address limit
            # out of the way of the per-username one we test.
            "RATELIMIT_LOGIN_PER_ADDRESS": "1000/minute",
            "RATELIMIT_SIGNUP_PER_ADDRESS": "1000/hour",
            "PROXY_FIX_X_FOR": "1",
            "DEMO_MODE": "0",
            "WEB_CONCURRENCY": "1",
            "WEB_THREADS": "4",
        }
        subprocess.run(
            [PYTHON, "-m", "flask", "--app", "app", "db", "upgrade"],
            cwd=BACKEND,
            env=env,
            check=True,
            capture_output=True,
        )
        a, b, nginx_port = free_port(), free_port(), free_port()
        command = [PYTHON, "serve.py", "--bind"]
        api_a = start(
            "API A",
            [*command, f"127.0.0.1:{a}"],
            cwd=BACKEND,
            env=env,
            log=workdir / "a.log",
        )
        started.append(api_a)
        api_b = start(
            "API B",
            [*command, f"127.0.0.1:{b}"],
            cwd=BACKEND,
            env=env,
            log=workdir / "b.log",
        )
        started.append(api_b)
        conf = render_nginx(workdir, nginx_port, [a, b])
        nginx = start(
            "nginx",
            ["nginx", "-c", str(conf), "-p", str(workdir)],
            cwd=BACKEND,
            env=env,
            log=workdir / "nginx.log",
        )
        started.append(nginx)
        for process, port in ((api_a, a), (api_b, b), (nginx, nginx_port)):
            wait_until_up(process, f"http://127.0.0.1:{port}/api/health")
        yield Stack(a, b, nginx_port, api_a, api_b, nginx, env)
    finally:
        for process in reversed(started):
            process.stop()
        flush_redis_db()


# --- the checks --------------------------------------------------------------------------------


def test_nginx_serves_the_spa_with_its_security_headers(stack):
    reply = call(stack.nginx, "GET", "/private")  # a client-side route: index.html
    assert reply.status == 200
    assert "script-src 'self'" in reply.headers["Content-Security-Policy"]
    assert reply.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("size", "msg"),
    [
        (20 * 1024, "The request's headers are larger than 16 KiB"),  # the API's own answer
        (100 * 1024, "The request's headers are too large"),  # nginx's, past its 64 KiB lines
    ],
)
def test_oversized_headers_through_nginx_get_a_json_431(stack, size, msg):
    reply = call(stack.nginx, "GET", "/api/health", headers={"X-Padding": "a" * size})
    assert reply.status == 431
    assert reply.body == {"msg": msg, "error": "headers_too_large"}


@pytest.fixture(params=["direct", "nginx"])
def route(request, stack) -> tuple[int, int]:
    """(first, second): A then B directly, or nginx twice (which spreads them over A and B)."""
    if request.param == "direct":
        return stack.a, stack.b
    return stack.nginx, stack.nginx


def test_a_token_from_one_process_is_accepted_by_the_other(stack, route):
    first, second = route
    username = stack.signup("both")
    session = login(first, username)
    for port in (second, stack.a, stack.b):
        reply = call(port, "GET", "/api/protected", headers=bearer(session.token))
        assert reply.status == 200, reply.body
        assert reply.body["username"] == username


def test_refresh_on_one_process_and_logout_there_revokes_everywhere_at_once(stack, route):
    first, second = route
    username = stack.signup("logout")
    session = login(first, username)

    refreshed = call(second, "POST", "/api/token/refresh", headers=session.refresh_headers())
    assert refreshed.status == 200, refreshed.body
    new = Login(refreshed.body["token"], {**session.cookies, **cookies_of(refreshed)})
    assert call(stack.a, "GET", "/api/protected", headers=bearer(new.token)).status == 200
    # Rotation: the old refresh token was used once, on the other process; it is spent for both.
    assert (
        call(stack.a, "POST", "/api/token/refresh", headers=session.refresh_headers()).status == 401
    )

    # The reuse above revoked the whole session; log in again for the logout check.
    session = login(first, username)
    assert call(second, "POST", "/api/logout", headers=bearer(session.token)).status == 200
    # No cache, no delay: the revocation is in PostgreSQL, which both processes ask every time.
    for port in (stack.a, stack.b, stack.nginx):
        reply = call(port, "GET", "/api/protected", headers=bearer(session.token))
        assert reply.status == 401
        assert reply.body == {"msg": "Token has been revoked", "error": "token_revoked"}
    reply = call(stack.a, "POST", "/api/token/refresh", headers=session.refresh_headers())
    assert reply.status == 401


def failures_until_limited(ports: list[int], username: str) -> int:
    """Send wrong passwords, cycling over `ports`, until one gets 429; return the attempt number."""
    for attempt in range(1, 3 * LOGIN_LIMIT + 1):
        port = ports[attempt % len(ports)]
        reply = call(port, "POST", "/api/token", {"username": username, "password": "wrong!"})
        if reply.status == 429:
            assert int(reply.headers["Retry-After"]) > 0
            return attempt
        assert reply.status == 401, reply.body
    pytest.fail(f"{username}: no 429 after {3 * LOGIN_LIMIT} failed logins")


def test_failed_logins_hit_the_shared_limit_at_the_same_count_as_on_one_process(stack):
    one_process = failures_until_limited([stack.a], stack.signup("one"))
    spread = failures_until_limited([stack.a, stack.b], stack.signup("spread"))
    through_nginx = failures_until_limited([stack.nginx], stack.signup("nginx"))
    # The counters are in Redis, so A and B count together: the (limit + 1)th attempt is refused
    # wherever it lands. With per-process memory, the spread run would get twice as many tries.
    assert one_process == spread == through_nginx == LOGIN_LIMIT + 1


def test_a_session_the_teacher_ends_on_one_process_is_refused_by_the_other(stack):
    """The teacher's view and "End session" are served by A; the student's session lives on B."""
    teacher_name = stack.signup("teacher")
    subprocess.run(
        [PYTHON, "-m", "flask", "--app", "app", "set-role", teacher_name, "teacher"],
        cwd=BACKEND,
        env=stack.env,
        check=True,
        capture_output=True,
    )
    student_name = stack.signup("student")
    student = login(stack.b, student_name)
    teacher = login(stack.a, teacher_name)
    assert call(stack.b, "GET", "/api/protected", headers=bearer(student.token)).status == 200

    view = call(stack.a, "GET", "/api/classroom/sessions", headers=bearer(teacher.token))
    assert view.status == 200, view.body
    (row,) = [row for row in view.body["sessions"] if row["username"] == student_name]
    assert row["state"] == "active"
    ended = call(
        stack.a, "POST", f"/api/classroom/sessions/{row['id']}/end", headers=bearer(teacher.token)
    )
    assert ended.status == 200, ended.body

    # B refuses the student's very next call, access and refresh alike, and says why.
    ended_msg = {"msg": "Your session was ended by the teacher", "error": "session_ended"}
    reply = call(stack.b, "GET", "/api/protected", headers=bearer(student.token))
    assert (reply.status, reply.body) == (401, ended_msg)
    reply = call(stack.b, "POST", "/api/token/refresh", headers=student.refresh_headers())
    assert (reply.status, reply.body) == (401, ended_msg)
    view = call(stack.b, "GET", "/api/classroom/sessions", headers=bearer(teacher.token))
    (row,) = [row for row in view.body["sessions"] if row["username"] == student_name]
    assert row["state"] == "ended by teacher"


def kid_of(token: str) -> str:
    """The `kid` in a token's header (base64url JSON, read without verifying)."""
    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


def jwks_kids(port: int) -> list[str]:
    reply = call(port, "GET", "/.well-known/jwks.json")
    assert reply.status == 200, reply.body
    assert reply.headers["Cache-Control"] == "public, max-age=60"
    return [key["kid"] for key in reply.body["keys"]]


def flask(stack: Stack, *args: str) -> str:
    """A `flask` command against the stack's database (as an operator on the server runs it)."""
    done = subprocess.run(
        [PYTHON, "-m", "flask", "--app", "app", *args],
        cwd=BACKEND,
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def within(seconds: float, check) -> bool:
    """True as soon as check() is, asking every 0.2 s for up to `seconds`; False if never."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


# A rotation or a retirement reaches every API process within SIGNING_KEYS_REFRESH (5 s by
# default); the checks below wait up to three times that before they call it lost.
KEYS_REACH_EVERYONE = 15
KEY_RETIRED = "This token was signed by a key that has been retired; please log in again"


def test_a_rotation_on_one_process_reaches_the_other_without_a_restart(stack):
    """The teacher rotates on A; B verifies the new key's tokens at once, and the old key's until
    it is retired, then refuses them, without a restart."""
    teacher_name = stack.signup("rotator")
    flask(stack, "set-role", teacher_name, "teacher")
    teacher = login(stack.a, teacher_name)
    student_name = stack.signup("keys")
    old = login(stack.b, student_name)
    old_kid = kid_of(old.token)

    rotated = call(stack.a, "POST", "/api/classroom/keys/rotate", headers=bearer(teacher.token))
    assert rotated.status == 200, rotated.body
    new_kid = rotated.body["keys"][0]["kid"]
    assert new_kid != old_kid

    # A signs with the new key at once; B has never seen it, and accepts the token at once.
    new = login(stack.a, student_name)
    assert kid_of(new.token) == new_kid
    for port in (stack.a, stack.b, stack.nginx):
        for token in (new.token, old.token):  # nobody is logged out
            reply = call(port, "GET", "/api/protected", headers=bearer(token))
            assert reply.status == 200, reply.body
    # B signs with the new key too, from its next read of the key set.
    assert within(
        KEYS_REACH_EVERYONE, lambda: kid_of(login(stack.b, student_name).token) == new_kid
    )
    refreshed = call(stack.b, "POST", "/api/token/refresh", headers=old.refresh_headers())
    assert refreshed.status == 200, refreshed.body  # the old key's refresh token still works
    assert kid_of(refreshed.body["token"]) == new_kid
    for port in (stack.a, stack.b, stack.nginx):
        assert within(KEYS_REACH_EVERYONE, lambda port=port: jwks_kids(port) == [new_kid, old_kid])

    assert old_kid in flask(stack, "retire-key", old_kid)

    def old_token_refused(port: int) -> bool:
        reply = call(port, "GET", "/api/protected", headers=bearer(old.token))
        return (reply.status, reply.body) == (401, {"msg": KEY_RETIRED, "error": "key_retired"})

    for port in (stack.a, stack.b):
        assert within(KEYS_REACH_EVERYONE, lambda port=port: old_token_refused(port))
        assert call(port, "GET", "/api/protected", headers=bearer(new.token)).status == 200
        assert jwks_kids(port) == [new_kid]


CUT_SHORT = "cut short"


def test_killing_one_process_mid_run_leaves_no_5xx_through_nginx(stack):
    """Last in this file: it stops A for good."""
    session = login(stack.nginx, stack.signup("survivor"))
    statuses: list[tuple[float, int | str]] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            for path in ("/api/protected", "/api/health"):
                try:
                    reply = call(stack.nginx, "GET", path, headers=bearer(session.token))
                except http.client.IncompleteRead:
                    # A server killed between an answer's headers and its body leaves nginx
                    # holding headers it has already passed on, so it cannot retry on B: that
                    # one answer arrives cut short.
                    statuses.append((time.monotonic(), CUT_SHORT))
                    continue
                statuses.append((time.monotonic(), reply.status))

    clients = [threading.Thread(target=hammer) for _ in range(4)]
    for client in clients:
        client.start()
    time.sleep(1.5)
    killed_at = time.monotonic()
    stack.api_a.stop(signal.SIGKILL)  # a crash, not a clean shutdown
    time.sleep(3)
    stop.set()
    for client in clients:
        client.join()

    before = [status for at, status in statuses if at < killed_at]
    after = [status for at, status in statuses if at >= killed_at]
    assert before and after, "the clients made no requests"
    assert set(before) == {200}
    # Every request after the kill answered by B: nginx retried A's refused connections there.
    answered = [status for status in after if status != CUT_SHORT]
    assert set(answered) == {200}, f"{len(after)} requests after the kill: {sorted(set(after))}"
    # Only an answer A was in the middle of writing can be cut short: at most one per client,
    # and only right at the kill.
    cut = [at for at, status in statuses if status == CUT_SHORT]
    assert len(cut) <= len(clients), f"{len(cut)} answers cut short"
    assert all(killed_at <= at < killed_at + 1 for at in cut), "an answer cut short later on"
    assert call(stack.b, "GET", "/api/protected", headers=bearer(session.token)).status == 200
