"""What every measurement stands on: the API servers, wrk, the database, the processes' CPU.

`Server` starts the API the way production runs it (backend/serve.py: granian, APP_ENV=production,
WORKERS processes) on a scratch SQLite file or a scratch PostgreSQL database; `wrk` and
`wrk_with_cpu` load it and read what it cost; `spread` and `percentile` turn rounds into figures.
The app itself runs in processes of its own: the bench never imports it, and asks its settings
with `backend_json`, in the backend's own interpreter and directory, as the server reads them.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from tools.servers import (
    Process,
    ServerDidNotStart,
    free_port,
    render_nginx,
    start,
    wait_until_up,
)

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
BACKEND = REPO / "backend"
PYTHON = sys.executable  # backend/.venv's python (the Makefile runs the bench with it)

WORKERS = 2  # processes of the production-shape server
# A run where the busiest worker used more than this share of the server's CPU was lopsided:
# wrk's connections crowded onto one worker (with two workers, an even run is about 50%).
LOPSIDED = 0.75
DEMO_ACCOUNT = {"username": "demo", "password": "demo1234"}  # seeded by DEMO_MODE=1


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path = BACKEND) -> str:
    """Run a command in backend/ (or `cwd`), fail loudly with its output."""
    result = subprocess.run(  # noqa: S603 (our own commands)
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def backend_json(code: str, env: dict[str, str] | None = None, backend: Path = BACKEND) -> Any:
    """What `code` prints as JSON (its last line) when the backend's interpreter runs it in
    `backend`, with `env` (a server's environment: the settings come out as that server reads
    them)."""
    out = run([PYTHON, "-c", f"import json\n{code}"], env=env, cwd=backend)
    return json.loads(out.strip().splitlines()[-1])


# --- processes and PostgreSQL, from /proc and ss -------------------------------------------


def process_stats() -> Iterator[tuple[int, int, float]]:
    """(pid, parent pid, CPU seconds used so far: user + system) of every process, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        # fields[1] is the parent pid; [11] and [12] are utime and stime, in clock ticks.
        yield int(stat.parent.name), int(fields[1]), (int(fields[11]) + int(fields[12])) / tick


def database_segments(workers: set[int]) -> dict[int, int] | None:
    """The open connections of the processes `workers` to PostgreSQL: {local port: TCP data
    segments sent}.

    From `ss -ti` (TCP_INFO's data_segs_out). The driver sends each query in one write, and a
    query this small in one segment, so the segments the server received are the round
    trips it was asked for. None without `ss` (iproute2).
    """
    if not shutil.which("ss"):
        return None
    out = subprocess.run(
        ["ss", "-tinpH", "( dport = :5432 )"],  # noqa: S607 (ss from PATH)
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    segments, port = {}, None
    for line in out.splitlines():
        if not line[:1].isspace():  # a socket's line; its TCP_INFO follows, indented
            found = re.search(r":(\d+)\s+\S+:5432\s.*\bpid=(\d+)", line)
            port = int(found.group(1)) if found and int(found.group(2)) in workers else None
        elif port is not None:
            sent = re.search(r"\bdata_segs_out:(\d+)", line)
            segments[port] = int(sent.group(1)) if sent else 0
    return segments


def database_cpu_seconds(database: str) -> dict[int, float]:
    """CPU time used so far by each PostgreSQL process serving `database`.

    PostgreSQL names each of its connection processes after the database it serves (its
    command line, see `ps`).
    """
    name = f" {database} ".encode()
    serving = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if name in cmdline.read_bytes():
                serving.add(int(cmdline.parent.name))
        except OSError:
            continue  # the process ended while we looked
    return {pid: cpu for pid, _parent, cpu in process_stats() if pid in serving}


# --- the API server -------------------------------------------------------------------------


class Measured(Protocol):
    """What wrk_with_cpu asks of a server: ours (Server), or another app (compare.Other)."""

    def cpu_seconds(self) -> dict[int, float]: ...
    def database_connections(self) -> dict[int, int] | None: ...
    def database_cpu_seconds(self) -> dict[int, float] | None: ...


class Server:
    """The API server (serve.py) with the production settings, on a scratch database; stop() ends
    all of it.

    `backend` is the backend/ directory to serve: this checkout's, or another version's
    (bench.compare). `nginx=True`: instead of one server of WORKERS processes, WORKERS
    servers of one process each behind nginx (deploy/nginx's template), which deals the requests
    out to them in turn, so the work reaches every process evenly by design (production's most
    even shape, deploy/README.md). nginx's own CPU is not counted, like wrk's.
    """

    def __init__(
        self,
        db: str,
        workdir: Path,
        overrides: dict[str, str] | None = None,
        backend: Path = BACKEND,
        nginx: bool = False,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.db = db
        self.pg_name: str | None = None
        if db == "postgres":
            self.pg_name = f"classroom_bench_{uuid.uuid4().hex[:8]}"
            run(["createdb", "-h", "127.0.0.1", "-U", "postgres", self.pg_name])
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.pg_name}"
        else:
            url = f"sqlite:///{workdir / 'bench.db'}"
        self.env = {
            **os.environ,
            "APP_ENV": "production",
            "JWT_SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": url,
            "DEMO_MODE": "1",  # seeds demo / demo1234, the account we log in with
            "WEB_CONCURRENCY": str(WORKERS),
            "WEB_BIND": f"127.0.0.1:{self.port}",
            # A benchmark logs in thousands of times from one address: lift the login limits
            # (they are still counted, so their cost is measured).
            "RATELIMIT_LOGIN_PER_USERNAME": "1000000/minute",
            "RATELIMIT_LOGIN_PER_ADDRESS": "1000000/minute",
            "RATELIMIT_STORAGE_URI": "memory://",
            **(overrides or {}),
        }
        self.started: list[Process] = []
        try:
            run([PYTHON, "-m", "flask", "--app", "app", "db", "upgrade"], env=self.env, cwd=backend)
            run([PYTHON, "-m", "flask", "--app", "app", "seed-demo"], env=self.env, cwd=backend)
        except SystemExit:
            self.stop()
            raise
        # A version from before serve.py (bench.compare) ran gunicorn.
        command = [PYTHON, "serve.py"]
        if not (backend / "serve.py").exists():
            command = [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"]
            self.env["GUNICORN_BIND"] = self.env["WEB_BIND"]
        # (name, settings of its own) of each API server: one, or one per process behind nginx.
        servers: list[tuple[str, dict[str, str]]] = [("API server", {})]
        if nginx:
            ports = [free_port() for _ in range(WORKERS)]
            servers = [
                (
                    f"API server {i + 1}",
                    {
                        "WEB_CONCURRENCY": "1",
                        "WEB_BIND": f"127.0.0.1:{port}",
                        "GUNICORN_BIND": f"127.0.0.1:{port}",  # a version from before serve.py
                    },
                )
                for i, port in enumerate(ports)
            ]
        self.servers = [
            start(name, command, cwd=backend, env={**self.env, **own}, log=workdir / f"{name}.log")
            for name, own in servers
        ]
        self.started = list(self.servers)
        if nginx:
            conf = render_nginx(workdir, self.port, ports)
            self.started.append(
                start(
                    "nginx",
                    ["nginx", "-c", str(conf), "-p", str(workdir)],
                    cwd=backend,
                    env=self.env,
                    log=workdir / "nginx.log",
                )
            )
        own_urls = [f"http://{own.get('WEB_BIND', self.env['WEB_BIND'])}" for _, own in servers]
        try:
            for process, url in zip(self.started, [*own_urls, self.base], strict=False):
                wait_until_up(process, f"{url}/api/health")
        except ServerDidNotStart as e:
            self.stop()
            raise SystemExit(str(e)) from None

    def setting(self, name: str) -> Any:
        """One of the app's settings, as this server reads it (app.config.load_settings)."""
        return backend_json(
            f"from app.config import load_settings\nprint(json.dumps(load_settings()[{name!r}]))",
            env=self.env,
        )

    def cpu_seconds(self) -> dict[int, float]:
        """CPU time (user + system) used so far by each of the servers' workers, from /proc.

        On a shared, noisy machine, requests/s moves with the neighbours' load; the CPU a
        request costs the server moves much less, so the table shows both.
        """
        mains = {server.popen.pid for server in self.servers}
        return {pid: cpu for pid, parent, cpu in process_stats() if parent in mains}

    def database_connections(self) -> dict[int, int] | None:
        """The workers' open connections to PostgreSQL (database_segments); None on SQLite."""
        return database_segments(set(self.workers())) if self.db == "postgres" else None

    def database_cpu_seconds(self) -> dict[int, float] | None:
        """CPU time of each PostgreSQL process serving the scratch database; None on SQLite."""
        return database_cpu_seconds(self.pg_name) if self.pg_name else None

    def pids(self) -> list[int]:
        """The servers' main processes and their workers."""
        return [*(server.popen.pid for server in self.servers), *self.workers()]

    def workers(self) -> list[int]:
        """The pids of the servers' workers (children of their main processes), from /proc."""
        return list(self.cpu_seconds())

    def stop(self) -> None:
        """Stop everything started (each a process group) and drop the scratch database."""
        for process in reversed(self.started):
            process.stop()
        if self.pg_name:
            run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", self.pg_name])
            self.pg_name = None


# --- HTTP -----------------------------------------------------------------------------------


def post_json(conn: http.client.HTTPConnection, path: str, body: dict) -> tuple[int, dict]:
    """POST a JSON body on a kept-alive connection; return (status, JSON body)."""
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def post_patiently(
    conn: http.client.HTTPConnection, path: str, body: dict, give_up_s: float = 120
) -> tuple[int, dict, int]:
    """post_json, sent again after each 503's Retry-After (the server's login queue was full),
    as a person would press "Log in" again; (status, JSON body, tries)."""
    deadline = time.monotonic() + give_up_s
    tries = 0
    while True:
        tries += 1
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = json.loads(response.read() or b"{}")
        if response.status != 503 or time.monotonic() > deadline:
            return response.status, answer, tries
        time.sleep(float(response.getheader("Retry-After") or 1))


def login_token(port: int, account: dict[str, str] = DEMO_ACCOUNT) -> str:
    """A fresh access token for the demo user (or another account)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body = post_json(conn, "/api/token", account)
    conn.close()
    if status != 200:
        raise SystemExit(f"login failed: {status} {body}")
    return body["token"]


# --- wrk ------------------------------------------------------------------------------------

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def wrk(
    url: str,
    seconds: int,
    connections: int,
    headers: dict[str, str],
    expect: str | None = None,
) -> dict[str, float]:
    """Run wrk: requests/s and p50/p90/p99 latency in ms. Any non-2xx response is an error, and
    so is, with `expect`, any body that does not contain that text (bench/expect_body.lua)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    env = None
    if expect is not None:
        command += ["-s", str(BENCH_DIR / "expect_body.lua")]
        env = {**os.environ, "WRK_EXPECT": expect}
    out = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True, env=env
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw errors against {url}:\n{out}")
    if expect is not None and "Bodies without the expected text: 0" not in out:
        raise SystemExit(f"wrk got bodies without {expect!r} from {url}:\n{out}")

    def latency(pct: str) -> float:
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "requests": requests,
        **{f"p{pct}_ms": latency(pct) for pct in ("50", "90", "99")},
    }


def wrk_with_cpu(
    server: Measured,
    url: str,
    seconds: int,
    headers: dict[str, str],
    connections: int = 4,
    expect: str | None = None,
) -> dict:
    """wrk, plus the server's CPU microseconds per request during that run.

    Also the busiest worker's share of that CPU: wrk's connections stay with the worker that
    accepted them, and when (nearly) all land on one worker, that process (one GIL) does most of
    the work while the other idles. Such a round is slower for reasons that are not the route's.

    On PostgreSQL also the round trips per request the database server was asked for, its own
    CPU per request, and how many connections the workers opened and closed during the run (a
    pool smaller than the threads opens and closes them under load). A connection closed during
    the run takes its counts with it, so then those two figures fall short.
    """
    before, sockets_before = server.cpu_seconds(), server.database_connections()
    database_before = server.database_cpu_seconds()
    result = wrk(url, seconds, connections, headers, expect)
    after, sockets_after = server.cpu_seconds(), server.database_connections()
    database_after = server.database_cpu_seconds()
    used = [after[pid] - before.get(pid, 0.0) for pid in after]
    result["cpu_us"] = sum(used) / result["requests"] * 1e6
    result["busiest_worker_share"] = round(max(used) / sum(used), 2) if sum(used) else 1.0
    result["workers"] = len(used)
    if sockets_before is not None and sockets_after is not None:
        # A connection opened during the run counts from zero (its start-up messages too).
        segments = sum(n - sockets_before.get(port, 0) for port, n in sockets_after.items())
        result["round_trips"] = round(segments / result["requests"], 3)
        result["connections_opened"] = len(sockets_after.keys() - sockets_before.keys())
        result["connections_closed"] = len(sockets_before.keys() - sockets_after.keys())
    if database_before is not None and database_after is not None:
        database = sum(t - database_before.get(pid, 0.0) for pid, t in database_after.items())
        result["db_cpu_us"] = database / result["requests"] * 1e6
    return result


def is_lopsided(run: dict[str, Any]) -> bool:
    """Whether one worker did over LOPSIDED of a wrk_with_cpu run's work (never if it ran alone)."""
    return run["workers"] > 1 and run["busiest_worker_share"] > LOPSIDED


# --- figures --------------------------------------------------------------------------------


def spread(values: list[float]) -> dict[str, float]:
    """Median and range of a list of measurements."""
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 30 samples is the largest one: say so, don't smooth)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def fmt(s: dict[str, float], digits: int = 0) -> str:
    """A spread as 'median (min-max)'."""
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}-{s['max']:.{digits}f})"
