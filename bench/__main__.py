"""`make bench` (`python -m bench` from the repository's root): run every measurement, print the
table, write bench/results.json and bench/results.md.

The measurements are the modules listed in MEASUREMENTS, in the order of the table; each says
how it measures in its own docstring, and bench/README.md says what the budgets mean.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import auth, classroom, grade, login, machine, page, signing, storm, suites
from bench.harness import Server
from bench.measurement import Context, Measurement
from bench.report import RESULTS_JSON, markdown, write

MEASUREMENTS: list[Measurement] = [
    auth.MEASUREMENT,
    login.MEASUREMENT,
    storm.MEASUREMENT,
    page.MEASUREMENT,
    classroom.MEASUREMENT,
    grade.MEASUREMENT,
    signing.MEASUREMENT,
    machine.MEASUREMENT,
    suites.MEASUREMENT,
]
ALONE = {m.option: m for m in MEASUREMENTS if m.option}


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run every measurement (or one), print the table, write bench/results.*.",
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    # Many short alternating rounds rather than a few long ones: a neighbour's burst of load then
    # spoils one protected/bare pair, and the median of the pairs' ratios shrugs it off.
    parser.add_argument("--rounds", type=int, default=9, help="rounds per comparison")
    parser.add_argument("--seconds", type=int, default=3, help="wrk duration per measurement")
    parser.add_argument("--login-samples", type=int, default=15, help="logins per outcome")
    parser.add_argument("--suites", action="store_true", help="also time make test (minutes)")
    parser.add_argument("--only", choices=list(ALONE), help="one measurement (no files written)")
    # For CI: limits far enough from the budgets that only a collapse fails, never noise.
    parser.add_argument(
        "--floor",
        type=float,
        help="fail (exit status 1) if the auth ratio's median is below this",
    )
    parser.add_argument(
        "--max-round-trips",
        type=float,
        help="PostgreSQL: fail if a protected request's median database round trips exceed this",
    )
    parser.add_argument(
        "--nginx",
        action="store_true",
        help="auth, login, storm: nginx in front of one single-process server per worker, "
        "so the work reaches every process evenly (production's most even shape)",
    )
    parser.add_argument(
        "--hash-threads",
        type=int,
        help="classroom burst: PASSWORD_HASH_THREADS for the server (default: the app's own)",
    )
    return parser.parse_args()


def run_all(measurements: list[Measurement], ctx: Context, results: dict[str, Any]) -> None:
    """Run `measurements` (those marked first, first), keeping each one's figures in `results`.

    The shared_server ones run one after the other on one production-shape server, started
    before the first of them and stopped after the last.
    """
    ordered = sorted(measurements, key=lambda m: not m.first)
    with tempfile.TemporaryDirectory(prefix="classroom-bench-") as tmp:
        try:
            for m in ordered:
                if m.shared_server and ctx.server is None:
                    ctx.server = Server(ctx.db, Path(tmp), nginx=ctx.nginx)
                    results["threads"] = ctx.server.setting("WEB_THREADS")
                elif not m.shared_server and ctx.server is not None:
                    ctx.server.stop()
                    ctx.server = None
                print(m.title, flush=True)
                figures = m.measure(ctx)
                if figures is not None:
                    results[m.key] = figures
        finally:
            if ctx.server is not None:
                ctx.server.stop()
                ctx.server = None


def main() -> None:
    """Run every measurement (or the one of --only) and report."""
    args = arguments()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    previous = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.is_file() else None
    ctx = Context(
        db=args.db,
        rounds=args.rounds,
        seconds=args.seconds,
        login_samples=args.login_samples,
        hash_threads=args.hash_threads,
        nginx=args.nginx,
        suites=args.suites,
        alone=bool(args.only),
        previous=previous,
    )
    started = time.monotonic()
    results: dict[str, Any] = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at start",
        "database": "SQLite file" if args.db == "sqlite" else "PostgreSQL 127.0.0.1",
    }
    if args.only:
        alone = ALONE[args.only]
        run_all([alone], ctx, results)
        print(json.dumps(results.get(alone.key), indent=2))
        for row in alone.rows(results.get(alone.key)):
            print(row, flush=True)
        if alone is auth.MEASUREMENT:
            auth.check_limits(results[alone.key], args.floor, args.max_round_trips)
        return
    run_all(MEASUREMENTS, ctx, results)
    results["bench_seconds"] = round(time.monotonic() - started, 1)
    table = markdown(results, MEASUREMENTS)
    write(results, table)
    print()
    print(table)
    print(f"bench: {results['bench_seconds']:.0f} s; wrote bench/results.json, bench/results.md")
    auth.check_limits(results[auth.MEASUREMENT.key], args.floor, args.max_round_trips)


if __name__ == "__main__":
    main()
