"""Login storm: the p99 of GET /api/protected while STORM_CLIENTS clients log in as fast as the
server lets them, against its p99 with no logins, alternating, several rounds.

The token checks use one connection: one worker serves it, so no round depends on how wrk's
connections happened to spread over the workers (two on one worker share its GIL).
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from typing import Any

from bench.harness import DEMO_ACCOUNT, fmt, login_token, post_patiently, spread, wrk
from bench.measurement import Context, Measurement
from bench.report import mark

BUDGET_STORM = 3.0  # p99 under a login storm / p99 idle, at most
STORM_CLIENTS = 8


class Storm:
    """STORM_CLIENTS threads that log in as fast as the server lets them, until stopped."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.stop_event = threading.Event()
        self.logins = 0
        self.told_to_wait = 0  # 503s: the login queue was full, and the client tried again
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self._hammer) for _ in range(STORM_CLIENTS)]

    def _hammer(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop_event.is_set():
            status, _, tries = post_patiently(conn, "/api/token", DEMO_ACCOUNT)
            if status != 200:
                self.errors.append(str(status))
            self.logins += 1
            self.told_to_wait += tries - 1
        conn.close()

    def __enter__(self) -> Storm:
        for thread in self.threads:
            thread.start()
        time.sleep(1)  # let every client get a login in flight
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join()
        if self.errors:
            raise SystemExit(f"logins failed during the storm: {self.errors[:5]}")


def login_storm(ctx: Context) -> dict[str, Any]:
    """p99 of /api/protected idle and under a login storm, alternating; in a full run two rounds
    fewer than the auth overhead (at least 3), with --only the rounds asked for."""
    server = ctx.server
    assert server is not None  # a shared_server measurement
    rounds = ctx.rounds if ctx.alone else max(3, ctx.rounds - 2)
    auth = {"Authorization": f"Bearer {login_token(server.port)}"}
    url = f"{server.base}/api/protected"
    idle, storm, ratios, logins_per_s = [], [], [], []
    for i in range(rounds):
        quiet = wrk(url, ctx.seconds, 1, auth)
        with Storm(server.port) as s:
            before = s.logins
            busy = wrk(url, ctx.seconds, 1, auth)
            logins_per_s.append((s.logins - before) / ctx.seconds)
        idle.append(quiet)
        storm.append(busy)
        ratios.append(busy["p99_ms"] / quiet["p99_ms"])
        print(
            f"  round {i + 1}: p99 idle {quiet['p99_ms']:.2f} ms, under storm "
            f"{busy['p99_ms']:.2f} ms ({logins_per_s[-1]:.1f} logins/s), ratio {ratios[-1]:.2f}",
            flush=True,
        )
    return {
        "clients": STORM_CLIENTS,
        **{
            f"{name}_{pct}_ms": spread([r[f"{pct}_ms"] for r in runs])
            for name, runs in (("idle", idle), ("storm", storm))
            for pct in ("p50", "p90", "p99")
        },
        "idle_rps": spread([r["rps"] for r in idle]),
        "storm_rps": spread([r["rps"] for r in storm]),
        "logins_per_s": spread(logins_per_s),
        "ratio": spread(ratios),
        "rounds": [{"idle": q, "storm": b} for q, b in zip(idle, storm, strict=True)],
        "budget": BUDGET_STORM,
        "met": statistics.median(ratios) <= BUDGET_STORM,
    }


def rows(st: dict[str, Any] | None) -> list[str]:
    """The login storm's rows of the report."""
    if st is None:
        return []
    return [
        f"| /api/protected p99 ms idle / during {st['clients']}-client login storm | "
        f"{fmt(st['idle_p99_ms'], 2)} / {fmt(st['storm_p99_ms'], 2)} | |",
        # The body of the distribution beside its tail: which requests a storm slows, and by how
        # much in milliseconds (a ratio of two small p99s says little on a fast machine).
        f"| /api/protected p50 / p90 ms, idle -> storm | "
        f"{st['idle_p50_ms']['median']:.2f} / {st['idle_p90_ms']['median']:.2f} -> "
        f"{st['storm_p50_ms']['median']:.2f} / {st['storm_p90_ms']['median']:.2f} | |",
        f"| logins/s during the storm | {fmt(st['logins_per_s'], 1)} | |",
        f"| **login storm: p99 ratio storm/idle** | **{fmt(st['ratio'], 2)}** | "
        f"<= {st['budget']:.0f}x: {mark(st['met'])} |",
    ]


MEASUREMENT = Measurement(
    key="login_storm",
    title="3. login storm ...",
    measure=login_storm,
    rows=rows,
    option="storm",
    shared_server=True,
)
