"""Versions of the API side by side: what a change bought, measured like `make bench` measures.

    backend/.venv/bin/python bench/compare.py --db postgres before=HEAD~3 after=WORKTREE
    backend/.venv/bin/python bench/compare.py eight=HEAD "four=HEAD GUNICORN_THREADS=4"

Each NAME=REVISION is a git revision of this repository (WORKTREE: the files as they are now),
optionally followed by VARIABLE=value settings for that version's server, exported to a scratch
directory and started as `make bench` starts the API (gunicorn,
APP_ENV=production, 2 workers, that version's own gunicorn.conf.py and defaults, a scratch
database). Then, round after round, each version in turn (the order reversed every other round,
so no version always follows another) gets wrk against GET /api/protected and GET /api/demo,
as in `make bench`'s auth overhead. Only one version is under load at any moment, and every
version meets the same neighbours' load, so their figures can be compared with each other.

Per version: requests per second, the protected/bare ratio, server CPU per request, and on
PostgreSQL the database round trips and PostgreSQL's own CPU per request: medians over the
rounds, (min-max) in brackets. Rounds where one worker did more than LOPSIDED of the work are
counted, and kept (how often that happens is one of the things a version changes).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from bench import LOPSIDED, REPO, Server, fmt, login_token, spread, wrk, wrk_with_cpu


def export(revision: str, into: Path) -> Path:
    """The backend/ directory of `revision` (a git revision, or WORKTREE for the files as now)."""
    if revision == "WORKTREE":
        return REPO / "backend"
    archive = subprocess.run(  # noqa: S603
        ["git", "archive", revision, "backend"],  # noqa: S607 (git from PATH)
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "backend"


def one_round(server: Server, token: str, seconds: int, connections: int) -> dict[str, Any]:
    """One round for one version: wrk against the protected route, then the bare one."""
    auth = {"Authorization": f"Bearer {token}"}
    protected = f"{server.base}/api/protected"
    return {
        "protected": wrk_with_cpu(server, protected, seconds, auth, connections),
        "bare": wrk_with_cpu(server, f"{server.base}/api/demo", seconds, {}, connections),
    }


def summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians and spreads of one version's rounds."""
    p = [r["protected"] for r in rounds]
    b = [r["bare"] for r in rounds]
    out: dict[str, Any] = {
        "protected_rps": spread([r["rps"] for r in p]),
        "bare_rps": spread([r["rps"] for r in b]),
        "ratio": spread([x["rps"] / y["rps"] for x, y in zip(p, b, strict=True)]),
        "protected_p99_ms": spread([r["p99_ms"] for r in p]),
        "protected_cpu_us": spread([r["cpu_us"] for r in p]),
        "bare_cpu_us": spread([r["cpu_us"] for r in b]),
        "lopsided": sum(
            max(x["busiest_worker_share"], y["busiest_worker_share"]) > LOPSIDED
            for x, y in zip(p, b, strict=True)
        ),
        "rounds": len(rounds),
    }
    if "round_trips" in p[0]:
        out["round_trips"] = spread([r["round_trips"] for r in p])
        out["connections_opened"] = sum(r["connections_opened"] for r in p + b)
        out["connections_closed"] = sum(r["connections_closed"] for r in p + b)
    if "db_cpu_us" in p[0]:
        out["db_cpu_us"] = spread([r["db_cpu_us"] for r in p])
    return out


def table(summaries: dict[str, dict[str, Any]]) -> str:
    """The versions' figures as a Markdown table."""
    postgres = "round_trips" in next(iter(summaries.values()))
    head = "| version | protected req/s | bare req/s | ratio | CPU/request protected / bare us"
    head += " | protected p99 ms | rounds lopsided |"
    if postgres:
        head += " DB round trips | PostgreSQL CPU/request us | DB connections opened / closed |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for name, s in summaries.items():
        row = (
            f"| {name} | {fmt(s['protected_rps'])} | {fmt(s['bare_rps'])} | "
            f"{fmt(s['ratio'], 3)} | {s['protected_cpu_us']['median']:.0f} / "
            f"{s['bare_cpu_us']['median']:.0f} | {s['protected_p99_ms']['median']:.1f} | "
            f"{s['lopsided']} of {s['rounds']} |"
        )
        if postgres:
            row += (
                f" {s['round_trips']['median']:.2f} | {s['db_cpu_us']['median']:.0f} | "
                f"{s['connections_opened']} / {s['connections_closed']} |"
            )
        lines.append(row)
    return "\n".join(lines)


def main() -> None:
    """Start every version, measure them in alternating rounds, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("versions", nargs="+", metavar='"NAME=REVISION [VARIABLE=value ...]"')
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=3, help="wrk duration per measurement")
    parser.add_argument("--connections", type=int, default=4, help="wrk's connections (-c)")
    parser.add_argument("--json", type=Path, help="also write every round to this file")
    args = parser.parse_args()
    versions: dict[str, tuple[str, dict[str, str]]] = {}
    for version in args.versions:
        first, *settings = version.split()
        name, revision = first.split("=", 1)
        versions[name] = (revision, dict(setting.split("=", 1) for setting in settings))
    with tempfile.TemporaryDirectory(prefix="classroom-compare-") as tmp:
        servers: dict[str, Server] = {}
        try:
            for name, (revision, settings) in versions.items():
                where = Path(tmp) / name
                where.mkdir()
                backend = export(revision, where)
                servers[name] = Server(args.db, where, settings, backend=backend)
            results: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
            tokens = {name: login_token(server.port) for name, server in servers.items()}
            for name, server in servers.items():  # warm-up: connections, caches, imports
                wrk(
                    f"{server.base}/api/protected",
                    2,
                    4,
                    {"Authorization": f"Bearer {tokens[name]}"},
                )
                wrk(f"{server.base}/api/demo", 2, 4, {})
            for i in range(args.rounds):
                order = list(servers.items())
                for name, server in order if i % 2 == 0 else order[::-1]:
                    last = one_round(server, tokens[name], args.seconds, args.connections)
                    results[name].append(last)
                    print(
                        f"  round {i + 1} {name}: protected {last['protected']['rps']:.0f} req/s,"
                        f" bare {last['bare']['rps']:.0f} req/s, ratio "
                        f"{last['protected']['rps'] / last['bare']['rps']:.3f}",
                        flush=True,
                    )
        finally:
            for server in servers.values():
                server.stop()
    summaries = {name: summary(rounds) for name, rounds in results.items()}
    if args.json:
        args.json.write_text(json.dumps({"summaries": summaries, "rounds": results}, indent=1))
    print()
    print(table(summaries))
    print(
        f"\n{args.rounds} rounds of {args.seconds} s per route and version, wrk -c "
        f"{args.connections}, {args.db}."
    )


if __name__ == "__main__":
    main()
