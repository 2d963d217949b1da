"""Test suites: the wall time of each `make test` suite, only with --suites (it takes minutes);
otherwise the figures of the last --suites run are shown again, marked as such."""

from __future__ import annotations

import subprocess
import time
from typing import Any

from bench.harness import REPO
from bench.measurement import Context, Measurement

SUITES = ("test-backend", "test-frontend", "test-e2e")


def suite_times(ctx: Context) -> dict[str, Any] | None:
    """Wall time of each suite with --suites; else the last run's (None if it had none)."""
    if not ctx.suites:
        previous = (ctx.previous or {}).get("test_suites")
        return {**previous, "fresh": False} if previous else None
    result: dict[str, Any] = {"measured_at": time.strftime("%Y-%m-%d %H:%M:%S"), "fresh": True}
    for suite in SUITES:
        print(f"  make {suite} ...", flush=True)
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603
            ["make", "--no-print-directory", suite],  # noqa: S607 (make from PATH)
            cwd=REPO,
            capture_output=True,
            check=False,
        )
        result[suite] = {
            "seconds": round(time.perf_counter() - start, 1),
            "passed": done.returncode == 0,
        }
    return result


def rows(suites: dict[str, Any] | None) -> list[str]:
    """A row per suite, or one saying how to measure them."""
    if not suites:
        return ["| test suite times | not measured: `make bench BENCH_ARGS=--suites` | |"]
    note = "" if suites.get("fresh") else f" (from the run of {suites['measured_at']})"
    lines = []
    for suite in SUITES:
        s = suites[suite]
        status = "" if s["passed"] else " FAILED"
        lines.append(f"| make {suite} wall time s{note} | {s['seconds']:.0f}{status} | |")
    return lines


MEASUREMENT = Measurement(
    key="test_suites", title="5. test suites ...", measure=suite_times, rows=rows
)
