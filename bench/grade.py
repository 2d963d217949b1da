"""Grading one app: `make grade` (python -m grader, browser included) against `make run`'s shape,
the wall time of the whole command, a few runs."""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import PYTHON, REPO, Server, fmt, spread
from bench.measurement import Context, Measurement
from bench.report import mark

BUDGET_GRADE_S = 20.0  # seconds for `make grade` on one app, browser included, at most
GRADE_RUNS = 3


def grade_time(ctx: Context) -> dict[str, Any]:
    """Wall time of `python -m grader` (API and browser checks), GRADE_RUNS times."""
    overrides = {"APP_ENV": "development", "WEB_CONCURRENCY": "1", "DEMO_MODE": "1"}
    seconds = []
    with tempfile.TemporaryDirectory(prefix="classroom-bench-") as tmp:
        server = Server(ctx.db, Path(tmp), overrides)
        try:
            for _ in range(GRADE_RUNS):
                start = time.monotonic()
                target = ["--api", f"{server.base}/api", "--app", server.base]
                account = ["--username", "demo", "--password", "demo1234"]
                done = subprocess.run(  # noqa: S603 (our own module)
                    [PYTHON, "-m", "grader", *target, *account],
                    cwd=REPO,
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=False,
                )
                seconds.append(time.monotonic() - start)
                if done.returncode != 0:
                    raise SystemExit(f"make grade failed on JWT Classroom:\n{done.stdout}")
        finally:
            server.stop()
    return {
        "runs": GRADE_RUNS,
        "seconds": spread(seconds),
        "budget_s": BUDGET_GRADE_S,
        "met": statistics.median(seconds) <= BUDGET_GRADE_S,
    }


def rows(gr: dict[str, Any] | None) -> list[str]:
    """The grading time's row of the report."""
    if gr is None:
        return []
    return [
        f"| **make grade: one app, browser included, s** | **{fmt(gr['seconds'], 1)}** | "
        f"<= {gr['budget_s']:.0f}: {mark(gr['met'])} |"
    ]


MEASUREMENT = Measurement(
    key="grade",
    title="8. grading one app ...",
    measure=grade_time,
    rows=rows,
    option="grade",
)
