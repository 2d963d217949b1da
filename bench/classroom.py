"""Classroom login burst: `make run`'s shape (one server process, APP_ENV=development, the default
argon2 profile) while CLASS_SIZE students press "Log in" at the same instant.

Every answer must be 200; the figures are login p50/p99 until the last answer, the 503s of the
full login queue, and the server's peak RSS (each hash holds 64 MiB; PASSWORD_HASH_THREADS
bounds how many run at once). --hash-threads N tries another setting.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.harness import Server, fmt, percentile, post_patiently, spread
from bench.measurement import Context, Measurement
from bench.report import mark

CLASS_SIZE = 40  # students pressing "Log in" at the same moment


def kib(pid: int, field: str) -> int:
    """A memory figure of a process from /proc/<pid>/status (VmRSS, VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise SystemExit(f"no {field} for process {pid}")


def sign_up_students(port: int) -> list[dict[str, str]]:
    """CLASS_SIZE accounts, made through the API (8 at a time), before anything is measured."""
    students = [
        {"username": f"student{i:02d}", "password": f"pupil-{i:02d}-password"}
        for i in range(CLASS_SIZE)
    ]

    def sign_up(body: dict[str, str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        status, answer, _ = post_patiently(conn, "/api/signup", body)
        conn.close()
        if status != 201:
            raise SystemExit(f"signup of {body['username']}: {status} {answer}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(sign_up, students))
    return students


def burst(port: int, students: list[dict[str, str]]) -> tuple[list[float], list[int], int]:
    """Every student presses "Log in" at the same moment, and again when told to wait (503,
    Retry-After); (latencies in ms until the last answer, last status codes, 503s)."""
    ready = threading.Barrier(len(students))

    def log_in(body: dict[str, str]) -> tuple[float, int, int]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.connect()  # the TCP handshake is not part of the login
        ready.wait()
        start = time.perf_counter()
        try:
            status, _, tries = post_patiently(conn, "/api/token", body)
        except (OSError, http.client.HTTPException, ValueError):
            status, tries = 0, 1  # no answer at all: as bad as a 5xx
        elapsed = (time.perf_counter() - start) * 1000
        conn.close()
        return elapsed, status, tries - 1

    with ThreadPoolExecutor(max_workers=len(students)) as pool:
        results = list(pool.map(log_in, students))
    return [r[0] for r in results], [r[1] for r in results], sum(r[2] for r in results)


def classroom_burst(ctx: Context) -> dict[str, Any]:
    """CLASS_SIZE students log in at the same instant, a third of `ctx.rounds` times (at least
    3). Per round: every status, p50/p99/max latency, and the server's peak RSS during the burst
    (VmHWM of main process and worker, reset before each burst by writing 5 to
    /proc/<pid>/clear_refs, see proc(5))."""
    overrides = {"APP_ENV": "development", "WEB_CONCURRENCY": "1", "DEMO_MODE": "1"}
    # The class signs up from one address first; the limit is for scripts, not for the bench.
    overrides["RATELIMIT_SIGNUP_PER_ADDRESS"] = "1000/minute"
    if ctx.hash_threads is not None:
        overrides["PASSWORD_HASH_THREADS"] = str(ctx.hash_threads)
    with tempfile.TemporaryDirectory(prefix="classroom-bench-") as tmp:
        server = Server(ctx.db, Path(tmp), overrides)
        try:
            threads = server.setting("PASSWORD_HASH_THREADS")
            students = sign_up_students(server.port)
            rows = []
            for i in range(max(3, ctx.rounds // 3)):
                pids = server.pids()
                before_kib = sum(kib(pid, "VmRSS") for pid in pids)
                for pid in pids:
                    Path(f"/proc/{pid}/clear_refs").write_text("5")
                cpu_before = sum(server.cpu_seconds().values())
                latencies, statuses, told_to_wait = burst(server.port, students)
                cpu_used = sum(server.cpu_seconds().values()) - cpu_before
                peak_kib = sum(kib(pid, "VmHWM") for pid in pids)
                row = {
                    "ok": statuses.count(200),
                    "server_errors": sum(1 for s in statuses if s >= 500 or s == 0),
                    "other": sorted(s for s in statuses if s != 200 and 0 < s < 500),
                    # 503s answered at once because the login queue was full, each followed
                    # by another try after its Retry-After.
                    "told_to_wait": told_to_wait,
                    "p50_ms": round(percentile(latencies, 50)),
                    "p99_ms": round(percentile(latencies, 99)),
                    "max_ms": round(max(latencies)),
                    # What a login costs the server, whatever else runs on the machine; with
                    # every core free, the last login would wait about CLASS_SIZE times this
                    # divided by the hashing threads (at most the cores).
                    "cpu_ms_per_login": round(cpu_used / CLASS_SIZE * 1000),
                    "rss_before_mib": round(before_kib / 1024),
                    "peak_rss_mib": round(peak_kib / 1024),
                }
                rows.append(row)
                print(
                    f"  round {i + 1}: {row['ok']}/{CLASS_SIZE} logged in, "
                    f"{row['server_errors']} 5xx ({told_to_wait} told to try again), "
                    f"p50 {row['p50_ms']} ms, p99 {row['p99_ms']} "
                    f"ms, peak RSS {row['peak_rss_mib']} MiB (before {row['rss_before_mib']}), "
                    f"{row['cpu_ms_per_login']} ms of CPU per login",
                    flush=True,
                )
        finally:
            server.stop()
    return {
        "students": CLASS_SIZE,
        "hash_threads": threads,
        "cores": os.cpu_count(),
        "all_logged_in": all(r["ok"] == CLASS_SIZE for r in rows),
        "server_errors": sum(r["server_errors"] for r in rows),
        **{
            key: spread([r[key] for r in rows])
            for key in (
                "p50_ms",
                "p99_ms",
                "max_ms",
                "peak_rss_mib",
                "rss_before_mib",
                "cpu_ms_per_login",
                "told_to_wait",
            )
        },
        "rounds": rows,
    }


def rows(cb: dict[str, Any] | None) -> list[str]:
    """The classroom burst's rows of the report."""
    if cb is None:
        return []
    return [
        f"| classroom: {cb['students']} logins at once on `make run`'s shape (1 process, "
        f"{cb['hash_threads']} hashing threads): logged in / 5xx | "
        f"{'all' if cb['all_logged_in'] else 'NOT all'} / {cb['server_errors']} | "
        f"all / 0: {mark(cb['all_logged_in'] and not cb['server_errors'])} |",
        f"| classroom: login p50 / p99 ms, until the last answer | {fmt(cb['p50_ms'])} / "
        f"{fmt(cb['p99_ms'])} | |",
        f"| classroom: 503s from the full login queue (each tried again after Retry-After) | "
        f"{fmt(cb['told_to_wait'])} | |",
        f"| classroom: server peak RSS MiB (before the burst) | {fmt(cb['peak_rss_mib'])} "
        f"({cb['rss_before_mib']['median']:.0f}) | 64 MiB per hashing thread above idle |",
    ]


MEASUREMENT = Measurement(
    key="classroom",
    title="7. classroom login burst ...",
    measure=classroom_burst,
    rows=rows,
    option="classroom",
)
