"""The servers that could front the app, side by side: `make bench`'s routes and slow clients.

    /path/to/venv/bin/python -m bench.servers [--rounds 6] [--seconds 3] [--processes 1]
        [--only granian,gunicorn-gthread] [--storm]

Each candidate serves the same backend/ on a scratch SQLite file with the production settings
(APP_ENV=production, access logs off), all of them at once, one under load at a time:

- rounds: wrk (one thread, 8 connections) against GET /api/protected (a valid token) and
  GET /api/demo (no token, no database), each candidate in turn, the order reversed every other
  round. Per candidate and route: requests per second, p99, and the server's CPU per request
  (every process of its tree, from /proc), every round printed, medians and (min-max) at the end.
  With --processes 2 also the busiest process's share of that CPU (imbalance: 50% is even).
- slow clients: 24 connections each send a request line and then one header line a second; while
  they are open, a normal GET /api/health on a new connection: its time to answer, or "none" if
  it got no answer within 5 s.
- --storm: `make room`'s shape (one process, the default argon2 profile, 2 hashing threads):
  60 accounts log in at the same instant, and meanwhile one client checks its token in a loop:
  the p99 of those checks during the storm, and how the 60 logins were answered (a login told
  503 tries again after its Retry-After, as a person would press "Log in" again).

The candidates' packages are not the app's: install them in a venv of their own that also sees
backend/.venv's packages (a .pth file naming its site-packages) and run this with that venv's
python, from the repository's root. bench/README.md ("Which server") says why the choice,
bench/results.md has the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.harness import (
    BACKEND,
    PYTHON,
    login_token,
    post_json,
    process_stats,
    run,
    spread,
    wrk,
)
from tools.servers import Process, free_port, slow_clients, start, wait_until_up

THREADS = 8  # request threads per process, as serve.py's default (WEB_THREADS)
SLOW_CLIENTS = 24
STORM_LOGINS = 60
BIN = Path(PYTHON).parent
JSON = {"Content-Type": "application/json"}


def _gunicorn(worker: str) -> Callable[[int, int], list[str]]:
    def command(port: int, processes: int) -> list[str]:
        extra = ["--threads", str(THREADS)] if worker == "gthread" else []
        return [
            PYTHON,
            "-m",
            "gunicorn",
            "--keep-alive",
            "5",
            "-k",
            worker,
            *extra,
            "--workers",
            str(processes),
            "--bind",
            f"127.0.0.1:{port}",
            "app:create_app()",
        ]

    return command


def _granian(port: int, processes: int) -> list[str]:
    return [
        str(BIN / "granian"),
        "--interface",
        "wsgi",
        "--factory",
        "--no-ws",
        "--workers",
        str(processes),
        "--blocking-threads",
        str(THREADS),
        "--port",
        str(port),
        "app:create_app",
    ]


def _waitress(port: int, processes: int) -> list[str]:
    if processes != 1:
        raise SystemExit("waitress serves from one process only")
    return [
        str(BIN / "waitress-serve"),
        f"--listen=127.0.0.1:{port}",
        f"--threads={THREADS}",
        "--call",
        "app:create_app",
    ]


def _uvicorn(port: int, processes: int) -> list[str]:
    # The WSGI app behind a2wsgi's adapter: uvicorn reads each request on its event loop and
    # hands it to a pool of THREADS threads once it has arrived.
    return [
        str(BIN / "uvicorn"),
        "--factory",
        "--no-access-log",
        "--workers",
        str(processes),
        "--port",
        str(port),
        "bench_asgi:app",
    ]


CANDIDATES: dict[str, Callable[[int, int], list[str]]] = {
    "gunicorn-gthread": _gunicorn("gthread"),
    "gunicorn-gevent": _gunicorn("gevent"),
    "granian": _granian,
    "waitress": _waitress,
    "uvicorn-a2wsgi": _uvicorn,
}

ASGI_SHIM = f"""from a2wsgi import WSGIMiddleware
from app import create_app as _create


def app():
    return WSGIMiddleware(_create(), workers={THREADS})
"""


class Candidate:
    """One server started on its own scratch database; stop() ends its process group."""

    def __init__(self, name: str, workdir: Path, processes: int, extra: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        (workdir / "bench_asgi.py").write_text(ASGI_SHIM)
        self.env = {
            **os.environ,
            "APP_ENV": "production",
            "JWT_SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
            "DEMO_MODE": "1",
            "WEB_CONCURRENCY": str(processes),
            "WEB_THREADS": str(THREADS),
            "RATELIMIT_LOGIN_PER_USERNAME": "1000000/minute",
            "RATELIMIT_LOGIN_PER_ADDRESS": "1000000/minute",
            "RATELIMIT_SIGNUP_PER_ADDRESS": "1000000/minute",
            "RATELIMIT_STORAGE_URI": "memory://",
            "PYTHONPATH": str(workdir),
            **extra,
        }
        run([PYTHON, "-m", "flask", "--app", "app", "db", "upgrade"], env=self.env)
        run([PYTHON, "-m", "flask", "--app", "app", "seed-demo"], env=self.env)
        self.process: Process = start(
            name,
            CANDIDATES[name](self.port, processes),
            cwd=BACKEND,
            env=self.env,
            log=workdir / "server.log",
        )
        wait_until_up(self.process, f"{self.base}/api/health")

    def cpu_by_process(self) -> dict[int, float]:
        """CPU seconds so far of every process in the server's tree (the started one included)."""
        stats = list(process_stats())
        tree = {self.process.popen.pid}
        grew = True
        while grew:
            more = {pid for pid, parent, _ in stats if parent in tree} - tree
            tree |= more
            grew = bool(more)
        return {pid: cpu for pid, _parent, cpu in stats if pid in tree}

    def stop(self) -> None:
        """End the server and its children."""
        self.process.stop()


def measured_wrk(c: Candidate, path: str, seconds: int, headers: dict[str, str]) -> dict:
    """wrk with 8 connections, plus CPU per request and the busiest process's share of it."""
    before = c.cpu_by_process()
    result = wrk(f"{c.base}{path}", seconds, 8, headers)
    after = c.cpu_by_process()
    used = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
    total = sum(used.values())
    result["cpu_us"] = total / result["requests"] * 1e6
    busy = [u for u in used.values() if u > 0.05 * total] if total else []
    result["busiest_share"] = round(max(busy) / total, 2) if len(busy) > 1 else 1.0
    return result


def slow_client_wait(c: Candidate, hold_s: float = 6.0) -> float | None:
    """Seconds a normal GET /api/health took while SLOW_CLIENTS trickled their headers (None:
    no answer within 5 s)."""
    with slow_clients(c.port, SLOW_CLIENTS):
        time.sleep(2)
        conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=5)
        started = time.perf_counter()
        try:
            conn.request("GET", "/api/health")
            response = conn.getresponse()
            response.read()
            took = time.perf_counter() - started if response.status == 200 else None
        except (OSError, http.client.HTTPException):
            took = None
        conn.close()
        time.sleep(max(0.0, hold_s - 2 - (time.perf_counter() - started)))
    return took


def storm(c: Candidate) -> dict:
    """STORM_LOGINS accounts log in at once while one client checks its token in a loop."""
    accounts = [
        {"username": f"storm{i:02d}", "password": f"storm-{i:02d}-password"}
        for i in range(STORM_LOGINS)
    ]

    def sign_up(body: dict[str, str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=300)
        status, answer = post_json(conn, "/api/signup", body)
        conn.close()
        if status not in (201, 409):
            raise SystemExit(f"signup: {status} {answer}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(sign_up, accounts))
    auth = {"Authorization": f"Bearer {login_token(c.port)}"}
    checks: list[float] = []
    done = threading.Event()

    def check_loop() -> None:
        """Token checks one after the other; one with no answer in 30 s counts as 30 s."""
        while not done.is_set():
            conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=30)
            started = time.perf_counter()
            try:
                conn.request("GET", "/api/protected", headers=auth)
                conn.getresponse().read()
            except TimeoutError:
                pass
            checks.append((time.perf_counter() - started) * 1000)
            conn.close()
            time.sleep(0.01)

    ready = threading.Barrier(STORM_LOGINS)

    def log_in(body: dict[str, str]) -> tuple[int, int, float]:
        """(last status, tries, seconds until the last answer): a 503 is tried again after its
        Retry-After, as a person pressing "Log in" again would, for up to a minute."""
        conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=300)
        conn.connect()
        ready.wait()
        started, tries, status = time.perf_counter(), 0, 0
        while time.perf_counter() - started < 60:
            tries += 1
            try:
                conn.request("POST", "/api/token", json.dumps(body), JSON)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                break
            if status != 503:
                break
            time.sleep(float(response.getheader("Retry-After") or 1))
        conn.close()
        return status, tries, time.perf_counter() - started

    checker = threading.Thread(target=check_loop)
    checker.start()
    time.sleep(0.5)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=STORM_LOGINS) as pool:
        logins = list(pool.map(log_in, accounts))
    took = time.perf_counter() - started
    done.set()
    checker.join()
    ordered = sorted(checks)
    statuses = [status for status, _, _ in logins]
    waits = sorted(seconds for _, _, seconds in logins)
    return {
        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
        "tries": sum(tries for _, tries, _ in logins),
        "login_p50_s": round(waits[len(waits) // 2], 2),
        "login_max_s": round(waits[-1], 2),
        "storm_s": round(took, 1),
        "checks": len(checks),
        "check_p50_ms": round(ordered[len(ordered) // 2], 1),
        "check_p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
        "check_max_ms": round(ordered[-1], 1),
    }


def main() -> None:
    """Start every candidate, measure them in alternating rounds, print every round."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.servers", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--only", default=",".join(CANDIDATES))
    parser.add_argument("--storm", action="store_true")
    parser.add_argument("--skip-routes", action="store_true")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n]
    print(f"load average at start: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="servers-bench-") as tmp:
        servers: list[Candidate] = []
        try:
            for name in names:
                workdir = Path(tmp) / name
                workdir.mkdir()
                extra = {"PASSWORD_HASH_PROFILE": "default"} if args.storm else {}
                servers.append(Candidate(name, workdir, args.processes, extra))
            results: dict[str, dict[str, list]] = {n: {} for n in names}
            if not args.skip_routes:
                tokens = {c.name: login_token(c.port) for c in servers}
                for c in servers:  # warm-up
                    wrk(f"{c.base}/api/demo", 1, 8, {})
                for i in range(args.rounds):
                    order = servers if i % 2 == 0 else servers[::-1]
                    for c in order:
                        auth = {"Authorization": f"Bearer {tokens[c.name]}"}
                        p = measured_wrk(c, "/api/protected", args.seconds, auth)
                        b = measured_wrk(c, "/api/demo", args.seconds, {})
                        for key, r in (("protected", p), ("bare", b)):
                            results[c.name].setdefault(key, []).append(r)
                        print(
                            f"  round {i + 1} {c.name:17} protected {p['rps']:5.0f} req/s "
                            f"p99 {p['p99_ms']:6.1f} ms {p['cpu_us']:5.0f} us/req "
                            f"share {p['busiest_share']:.0%} | bare {b['rps']:5.0f} req/s "
                            f"p99 {b['p99_ms']:6.1f} ms {b['cpu_us']:5.0f} us/req "
                            f"share {b['busiest_share']:.0%} | load {os.getloadavg()[0]:.1f}",
                            flush=True,
                        )
            for c in servers:
                waits = [slow_client_wait(c) for _ in range(2)]
                results[c.name]["slow"] = waits
                shown = ", ".join("none" if w is None else f"{w * 1000:.0f} ms" for w in waits)
                print(f"  slow clients {c.name:17} health answered in: {shown}", flush=True)
            if args.storm:
                for c in servers:
                    s = storm(c)
                    results[c.name]["storm"] = s
                    print(f"  storm {c.name:17} {s}", flush=True)
        finally:
            for c in servers:
                c.stop()
    print(f"load average at end: {os.getloadavg()}")
    for name, r in results.items():
        if "protected" not in r:
            continue
        line = [name]
        for key in ("protected", "bare"):
            rows = r[key]
            rps, p99 = spread([x["rps"] for x in rows]), spread([x["p99_ms"] for x in rows])
            cpu = statistics.median(x["cpu_us"] for x in rows)
            share = max(x["busiest_share"] for x in rows)
            line.append(
                f"{key} {rps['median']:.0f} ({rps['min']:.0f}-{rps['max']:.0f}) req/s, "
                f"p99 {p99['median']:.1f} ({p99['min']:.1f}-{p99['max']:.1f}) ms, "
                f"{cpu:.0f} us/req, busiest share at most {share:.0%}"
            )
        print(" | ".join(line))


if __name__ == "__main__":
    sys.exit(main())
