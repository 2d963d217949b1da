"""Start, wait for and stop the real servers that e2e/, deploy/tests/ and bench/ run against.

Each server runs in its own session (process group), so stopping it also stops its children:
the API server's workers, nginx's workers, the Vite dev server's esbuild. Its output goes to a file,
shown when it fails to start.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BACKEND_DIR = REPO / "backend"
NGINX_TEMPLATE = REPO / "deploy" / "nginx" / "classroom.conf.template"
SPA_DIST = REPO / "frontend" / "dist"


class ServerDidNotStart(RuntimeError):
    """A server died or never answered; the message carries its output."""


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it, so parallel runs don't collide)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    """A server we started, and the file its output goes to."""

    name: str
    popen: subprocess.Popen
    log: Path

    def output(self, limit: int = 8000) -> str:
        """The end of what the server printed."""
        return self.log.read_text(errors="replace")[-limit:]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        """Signal the whole process group and wait for it; SIGKILL if it will not go."""
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=timeout)
        except ProcessLookupError:
            pass


def start(name: str, command: list[str], *, cwd: Path, env: dict, log: Path) -> Process:
    """Start `command` in its own session, its output (stdout and stderr) going to `log`."""
    with log.open("wb") as out:
        popen = subprocess.Popen(  # noqa: S603 (our own commands, no shell)
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(name, popen, log)


def wait_until_up(process: Process, url: str, timeout: float = 60) -> None:
    """Poll `url` until it answers 200; raise ServerDidNotStart if the server dies or never does.

    A 503 counts as "not yet" (e.g. /api/health while the database is not ready).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise ServerDidNotStart(
                f"{process.name} exited with code {process.popen.returncode} before {url} "
                f"answered. Its output:\n{process.output()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet, or not ready
        time.sleep(0.2)
    process.stop()
    raise ServerDidNotStart(
        f"{process.name} did not answer 200 on {url} within {timeout:.0f} s. "
        f"Its output:\n{process.output()}"
    )


def _run_step(command: list[str], env: dict) -> None:
    """Run one setup command in backend/ (db upgrade, seed-demo); fail loudly with its output."""
    done = subprocess.run(  # noqa: S603 (our own commands, no shell)
        command, cwd=BACKEND_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        shown = " ".join(command)
        raise ServerDidNotStart(
            f"`{shown}` failed with code {done.returncode}:\n{done.stdout}{done.stderr}"
        )


def start_classroom(tmp_dir: Path, port: int, **settings: str) -> Process:
    """JWT Classroom as `make run` serves it, on a fresh SQLite database in `tmp_dir`.

    Migrates and seeds the database, then starts serve.py (SPA + API) on 127.0.0.1:`port` and
    waits for /api/health. `settings` are environment variables on top of `make run`'s; they are
    all set explicitly, so a developer's .env cannot change the outcome (the app does not let
    .env override variables that are already set). The Python running this must be
    backend/.venv's: it runs that venv's flask and granian.
    """
    env = {
        **os.environ,
        # What `make run` uses. "testing" would set Flask's TESTING, which lets a crash escape
        # as the server's own error page instead of the app's JSON 500: not what students get.
        "APP_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_dir / 'classroom.db'}",
        # Its own key (48 characters, new every run), so development mode does not create or
        # reuse the key file under backend/instance/.
        "JWT_SECRET_KEY": secrets.token_urlsafe(36),
        "DEMO_MODE": "1",
        "ACCESS_TOKEN_TTL": "900",
        "RATELIMIT_STORAGE_URI": "memory://",
        "PYTHONUNBUFFERED": "1",
        **settings,
    }
    python = sys.executable
    _run_step([python, "-m", "flask", "--app", "app", "db", "upgrade"], env)
    _run_step([python, "-m", "flask", "--app", "app", "seed-demo"], env)
    api = start(
        "JWT Classroom (serve.py)",
        [python, "serve.py", "--bind", f"127.0.0.1:{port}"],
        cwd=BACKEND_DIR,
        env=env,
        log=tmp_dir / "server.log",
    )
    wait_until_up(api, f"http://127.0.0.1:{port}/api/health")
    return api


@contextmanager
def slow_clients(port: int, count: int) -> Iterator[list[socket.socket]]:
    """`count` connections to 127.0.0.1:`port` that send a request line, then one more header
    line a second, and never finish their request, for as long as the block runs.

    A server that gives each connection a thread while it reads the request has none left for
    anyone else; one that waits for the whole head before it uses a thread is not bothered.
    """
    sockets: list[socket.socket] = []
    stop = threading.Event()

    def trickle() -> None:
        line = 0
        while not stop.wait(1.0):
            line += 1
            for sock in sockets:
                # The server may cut a slow client off: that is allowed.
                with suppress(OSError):
                    sock.sendall(f"X-Slow-{line}: still typing\r\n".encode())

    feeder = threading.Thread(target=trickle, daemon=True)
    try:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sockets.append(sock)
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        feeder.start()
        yield sockets
    finally:
        stop.set()
        if feeder.is_alive():
            feeder.join()
        for sock in sockets:
            sock.close()


def render_nginx(workdir: Path, listen: int, upstreams: list[int]) -> Path:
    """deploy/nginx's template, rendered for local upstreams, inside a minimal main config (in
    `workdir`, as the nginx image lays it out); the main config's path, for `nginx -c`."""
    servers = " ".join(
        f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in upstreams
    )
    values = {"LISTEN_PORT": str(listen), "SPA_ROOT": str(SPA_DIST), "UPSTREAM_SERVERS": servers}
    # What the nginx image's envsubst does: replace exactly these ${NAME}s, and nothing else
    # (nginx's own $variables must stay as they are).
    rendered = NGINX_TEMPLATE.read_text()
    for name, value in values.items():
        rendered = rendered.replace("${" + name + "}", value)
    unset = re.findall(r"\$\{\w+\}", rendered)
    if unset:
        raise ValueError(f"the template uses variables render_nginx does not set: {unset}")
    (workdir / "classroom.conf").write_text(rendered)
    # What the nginx Docker image provides around conf.d/*.conf, with every path in workdir.
    # Run as root (CI), nginx would switch its workers to `nobody`, who may not read the checkout.
    user = "user root;" if os.geteuid() == 0 else ""
    main = workdir / "nginx.conf"
    main.write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {workdir}/nginx-access.log;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    include {workdir}/classroom.conf;
}}
"""
    )
    return main
