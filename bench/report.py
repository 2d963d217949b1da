"""The report: one Markdown table of every measurement's rows, printed, and written with every
round to bench/results.json and into bench/results.md's "Latest `make bench`" section (the rest
of that file, the dated runs, is kept as it is)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bench.harness import BENCH_DIR, WORKERS
from bench.measurement import Measurement

RESULTS_JSON = BENCH_DIR / "results.json"
RESULTS_MD = BENCH_DIR / "results.md"
# The part of results.md that `python -m bench` rewrites.
LATEST_START = "<!-- written by `python -m bench` (make bench): from here -->"
LATEST_END = "<!-- to here -->"


def mark(met: bool) -> str:
    """How a budget line ends in the table."""
    return "met" if met else "NOT MET"


def markdown(r: dict[str, Any], measurements: Sequence[Measurement]) -> str:
    """The results as a short Markdown table (also printed)."""
    rounds = len(r["auth_overhead"]["rounds"]) if "auth_overhead" in r else 0
    lines = [
        f"Measured {r['measured_at']} on {r['machine']}; granian (serve.py) {WORKERS} workers x "
        f"{r.get('threads', '?')} threads, APP_ENV=production, {r['database']}. "
        f"Median over rounds, (min-max) in brackets. Auth overhead: {rounds} rounds, "
        "every one counted. The storm is measured with one connection.",
        "",
        "| what | measured | budget |",
        "|---|---|---|",
    ]
    for m in measurements:
        lines += m.rows(r.get(m.key))
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any], table: str) -> None:
    """Every round to results.json; the table and how to reproduce it into results.md."""
    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n")
    latest = (
        f"{table}\nWhole run: {results['bench_seconds']:.0f} s. Details: bench/results.json.\n"
        "Reproduce: `make bench` (about 5 minutes); `make bench BENCH_ARGS=--suites` also times "
        'the test suites; `BENCH_ARGS="--db postgres"` runs on the local PostgreSQL.\n'
    )
    text = RESULTS_MD.read_text() if RESULTS_MD.is_file() else ""
    if LATEST_START in text and LATEST_END in text:
        head, rest = text.split(LATEST_START, 1)
        tail = rest.split(LATEST_END, 1)[1]
    else:
        head, tail = "# Benchmark results\n\n## Latest `make bench`\n\n", "\n"
    RESULTS_MD.write_text(f"{head}{LATEST_START}\n{latest}{LATEST_END}{tail}")
