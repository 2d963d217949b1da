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
rounds, (min-max) in brackets. Rounds where one of several workers did over LOPSIDED (bench.py)
of the work are counted, and kept (how often that happens is one of the things a version
changes).

--other puts another app, already running, in the same rounds: its own "who am I" route and a
route of its that does nothing, a token it issued, and the pid of its server, whose workers'
CPU is counted like ours (bench/README.md, "Side by side with the FastAPI template"):

    --other "fastapi protected=http://127.0.0.1:8100/api/v1/users/me
             bare=http://127.0.0.1:8100/api/v1/utils/health-check/ token=eyJ... pid=4242"

The table then also gives each version's protected requests per second against each other
app's, round by round.
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

from bench import (
    REPO,
    Server,
    fmt,
    is_lopsided,
    login_token,
    process_stats,
    spread,
    wrk,
    wrk_with_cpu,
)


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


def key_values(words: list[str], where: str) -> dict[str, str]:
    """{"A": "1", "B": "2"} from ["A=1", "B=2"]; a word without "=" stops the run, saying where."""
    for word in words:
        if "=" not in word:
            raise SystemExit(f"{where}: {word!r} is not NAME=value")
    return dict(word.split("=", 1) for word in words)


class Other:
    """Another app, started by whoever runs the comparison: measured, never started or stopped.

    It answers the questions wrk_with_cpu asks of a Server: the CPU of its workers, and nothing
    about a database, which it may not even use the way we do.
    """

    def __init__(self, spec: str) -> None:
        name, *settings = spec.split()
        values = key_values(settings, f"--other {name}")
        missing = {"protected", "bare", "token", "pid"} - values.keys()
        if missing:
            raise SystemExit(f"--other {name}: missing {', '.join(sorted(missing))}=...")
        if not values["pid"].isdigit() or not Path("/proc", values["pid"]).is_dir():
            raise SystemExit(f"--other {name}: pid={values['pid']} is not a running process")
        self.name = name
        self.protected, self.bare, self.token = values["protected"], values["bare"], values["token"]
        self.pid = int(values["pid"])

    def cpu_seconds(self) -> dict[int, float]:
        """CPU time (user + system) used so far by each process that serves requests.

        Those are the server's children (uvicorn's or gunicorn's workers: as for our servers,
        the master is not counted), or the server itself if it has none.
        """
        stats = list(process_stats())
        workers = {pid: cpu for pid, parent, cpu in stats if parent == self.pid}
        return workers or {pid: cpu for pid, _parent, cpu in stats if pid == self.pid}

    def database_connections(self) -> None:
        return None

    def database_cpu_seconds(self) -> None:
        return None


def one_round(
    server: Server | Other, urls: tuple[str, str], token: str, seconds: int, connections: int
) -> dict[str, Any]:
    """One round for one app: wrk against its protected route, then its bare one."""
    auth = {"Authorization": f"Bearer {token}"}
    return {
        "protected": wrk_with_cpu(server, urls[0], seconds, auth, connections),
        "bare": wrk_with_cpu(server, urls[1], seconds, {}, connections),
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
        "lopsided": sum(is_lopsided(x) or is_lopsided(y) for x, y in zip(p, b, strict=True)),
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
    """The versions' figures as a Markdown table (an other app's database cells stay empty)."""
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
        if postgres and "round_trips" not in s:
            row += " | | |"
        elif postgres:
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
    parser.add_argument(
        "--other",
        action="append",
        default=[],
        metavar='"NAME protected=URL bare=URL token=TOKEN pid=PID"',
        help="another app, already running, measured in the same rounds (repeatable)",
    )
    args = parser.parse_args()
    others = {other.name: other for other in map(Other, args.other)}
    versions: dict[str, tuple[str, dict[str, str]]] = {}
    for version in args.versions:
        first, *settings = version.split()
        [(name, revision)] = key_values([first], "a version (NAME=REVISION)").items()
        versions[name] = (revision, key_values(settings, name))
    with tempfile.TemporaryDirectory(prefix="classroom-compare-") as tmp:
        servers: dict[str, Server] = {}
        try:
            for name, (revision, settings) in versions.items():
                where = Path(tmp) / name
                where.mkdir()
                backend = export(revision, where)
                servers[name] = Server(args.db, where, settings, backend=backend)
            # name -> (the app, its protected and bare URLs, a token for the protected one)
            apps: dict[str, tuple[Server | Other, tuple[str, str], str]] = {
                name: (
                    server,
                    (f"{server.base}/api/protected", f"{server.base}/api/demo"),
                    login_token(server.port),
                )
                for name, server in servers.items()
            }
            for name, other in others.items():
                apps[name] = (other, (other.protected, other.bare), other.token)
            results: dict[str, list[dict[str, Any]]] = {name: [] for name in apps}
            for _app, urls, token in apps.values():  # warm-up: connections, caches, imports
                wrk(urls[0], 2, 4, {"Authorization": f"Bearer {token}"})
                wrk(urls[1], 2, 4, {})
            for i in range(args.rounds):
                order = list(apps.items())
                for name, (app, urls, token) in order if i % 2 == 0 else order[::-1]:
                    last = one_round(app, urls, token, args.seconds, args.connections)
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
    for name in servers:
        for other in others:
            against = spread(
                [
                    ours["protected"]["rps"] / theirs["protected"]["rps"]
                    for ours, theirs in zip(results[name], results[other], strict=True)
                ]
            )
            print(f"\n{name}'s protected req/s against {other}'s: {fmt(against, 2)}")
    print(
        f"\n{args.rounds} rounds of {args.seconds} s per route and version, wrk -c "
        f"{args.connections}, {args.db}."
    )


if __name__ == "__main__":
    main()
