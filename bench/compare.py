"""Versions of the API side by side: what a change bought, measured like `make bench` measures.

    backend/.venv/bin/python -m bench.compare --db postgres before=HEAD~3 after=WORKTREE
    backend/.venv/bin/python -m bench.compare eight=HEAD "four=HEAD WEB_THREADS=4"

(from the repository's root, like every module of bench/).

Each NAME=REVISION is a git revision of this repository (WORKTREE: the files as they are now),
optionally followed by VARIABLE=value settings for that version's server, exported to a scratch
directory and started as `make bench` starts the API (that version's own server: serve.py, or
gunicorn before it; APP_ENV=production, 2 workers, a scratch database), in the production shape:
the rate limits at their defaults, counted in Redis (db 14), no demo accounts (each version
signs up an account of its own and logs in again before every round, so no token expires during
a long run). --no-production runs `make bench`'s shape instead. Then, round after round, each
version in turn (the order reversed every other round, so no version always follows another)
gets wrk against GET /api/protected and GET /api/demo, as in `make bench`'s auth overhead, and
every response's body is checked (its user's name, the bare route's answer). Only one version is
under load at any moment, and every version meets the same neighbours' load, so their figures
can be compared with each other.

Per version: requests per second, the protected/bare ratio, server CPU per request, and on
PostgreSQL the database round trips and PostgreSQL's own CPU per request: medians over the
rounds, (min-max) in brackets. Rounds where one of several workers did over LOPSIDED (harness.py)
of the work are counted, and kept (how often that happens is one of the things a version
changes).

--other puts another app, already running, in the same rounds: its own "who am I" route and a
route of its that does nothing, a token it issued, and the pid of its server, whose workers'
CPU is counted like ours (bench/README.md, "Side by side with the FastAPI template"); optionally
its database (round trips and PostgreSQL CPU, as ours), its login form (a new token every
round) and text each route's bodies must contain:

    --other "fastapi protected=http://127.0.0.1:8100/api/v1/users/me
             bare=http://127.0.0.1:8100/api/v1/utils/health-check/ token=eyJ... pid=4242
             database=app login=http://127.0.0.1:8100/api/v1/login/access-token
             username=admin@example.com password=... expect_protected=admin@example.com
             expect_bare=true"

The table then also gives each version's protected requests per second against each other
app's, round by round.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import subprocess
import tarfile
import tempfile
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from bench.harness import (
    DEMO_ACCOUNT,
    REPO,
    Server,
    backend_json,
    database_cpu_seconds,
    database_segments,
    fmt,
    is_lopsided,
    login_token,
    post_json,
    process_stats,
    spread,
    wrk,
    wrk_with_cpu,
)

# Our side runs in the production shape: production settings (Server), the rate limits at their
# defaults, counted in Redis as with several processes, and no demo accounts: each version signs
# up an account of its own (so the versions' limits never share a counter).
REDIS_DB = 14
ACCOUNT_PASSWORD = "compare-password-1"  # noqa: S105 (a scratch account on a scratch database)
# What each route's body must contain (bench/expect_body.lua checks every response).
OURS_EXPECT = {"protected": '"username":"{username}"', "bare": '"enabled":false'}


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


def production_settings() -> dict[str, str]:
    """Server settings for the production shape: limits on, counted in Redis, no demo mode."""
    settings = {
        "DEMO_MODE": "0",
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:6379/{REDIS_DB}",
        # Every run signs up from 127.0.0.1, and Redis keeps the count between runs; signing
        # up is not what is measured.
        "RATELIMIT_SIGNUP_PER_ADDRESS": "1000/minute",
    }
    limits = ("RATELIMIT_LOGIN_PER_USERNAME", "RATELIMIT_LOGIN_PER_ADDRESS")
    defaults = backend_json(
        "from app.config import SETTINGS\n"
        f"print(json.dumps({{name: SETTINGS[name].default for name in {limits!r}}}))"
    )
    return {**settings, **defaults}


def key_values(words: list[str], where: str) -> dict[str, str]:
    """{"A": "1", "B": "2"} from ["A=1", "B=2"]; a word without "=" stops the run, saying where."""
    for word in words:
        if "=" not in word:
            raise SystemExit(f"{where}: {word!r} is not NAME=value")
    return dict(word.split("=", 1) for word in words)


class Other:
    """Another app, started by whoever runs the comparison: measured, never started or stopped.

    It answers the questions wrk_with_cpu asks of a Server: the CPU of its workers, and with
    database=NAME the round trips its workers ask PostgreSQL for and the CPU of the PostgreSQL
    processes serving that database. With login=URL username=... password=... its token is
    renewed before every round (an OAuth2 password form, as the FastAPI template takes), so a
    long run never meets an expired token; expect_protected=TEXT and expect_bare=TEXT are text
    every body of that route must contain.
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
        self.database = values.get("database")
        self.login = values.get("login")
        self.account = {k: values.get(k, "") for k in ("username", "password")}
        self.expect = {
            "protected": values.get("expect_protected"),
            "bare": values.get("expect_bare"),
        }

    def workers(self) -> list[int]:
        """The processes that serve requests: the server's children (uvicorn's or gunicorn's
        workers: as for our servers, the master is not counted), or the server itself if it has
        none. Python's multiprocessing bookkeeping process (resource_tracker) serves nothing."""
        children = []
        for pid, parent, _cpu in process_stats():
            if parent != self.pid:
                continue
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue  # it ended while we looked
            if b"resource_tracker" not in cmdline:
                children.append(pid)
        return children or [self.pid]

    def cpu_seconds(self) -> dict[int, float]:
        """CPU time (user + system) used so far by each of its workers."""
        workers = set(self.workers())
        return {pid: cpu for pid, _parent, cpu in process_stats() if pid in workers}

    def database_connections(self) -> dict[int, int] | None:
        return database_segments(set(self.workers())) if self.database else None

    def database_cpu_seconds(self) -> dict[int, float] | None:
        return database_cpu_seconds(self.database) if self.database else None

    def renew_token(self) -> str:
        """A new token from its login route, if it was given one; else the one given."""
        if self.login:
            form = urllib.parse.urlencode(self.account).encode()
            with urllib.request.urlopen(self.login, form, timeout=30) as answer:  # noqa: S310
                body = json.loads(answer.read())
            self.token = body.get("access_token") or body["token"]
        return self.token


class App:
    """One app in the comparison: its server, its two routes, what their bodies must contain,
    and how it gets a fresh token."""

    def __init__(
        self,
        server: Server | Other,
        urls: tuple[str, str],
        expect: dict[str, str | None],
        renew: Any,
    ) -> None:
        self.server, self.urls, self.expect, self.renew = server, urls, expect, renew

    def one_round(self, seconds: int, connections: int) -> dict[str, Any]:
        """wrk against its protected route, then its bare one, with a token made just before
        (a token lives 15 minutes; a long comparison outlives several)."""
        auth = {"Authorization": f"Bearer {self.renew()}"}
        return {
            "protected": wrk_with_cpu(
                self.server, self.urls[0], seconds, auth, connections, self.expect["protected"]
            ),
            "bare": wrk_with_cpu(
                self.server, self.urls[1], seconds, {}, connections, self.expect["bare"]
            ),
        }


def sign_up(server: Server, username: str) -> dict[str, str]:
    """An account of its own on one of our versions (no demo accounts in production)."""
    account = {"username": username, "password": ACCOUNT_PASSWORD}
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    status, body = post_json(conn, "/api/signup", account)
    conn.close()
    if status != 201:
        raise SystemExit(f"signup on {server.base}: {status} {body}")
    return account


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
    parser = argparse.ArgumentParser(
        prog="python -m bench.compare", description=__doc__.split("\n")[0]
    )
    parser.add_argument("versions", nargs="+", metavar='"NAME=REVISION [VARIABLE=value ...]"')
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=3, help="wrk duration per measurement")
    parser.add_argument("--connections", type=int, default=4, help="wrk's connections (-c)")
    parser.add_argument("--json", type=Path, help="also write every round to this file")
    parser.add_argument(
        "--nginx",
        action="store_true",
        help="our versions behind nginx, one single-process server per worker (as make bench's)",
    )
    parser.add_argument(
        "--production",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="our versions in the production shape: limits on, in Redis, no demo accounts "
        "(default; --no-production: memory:// limits, lifted login limits, DEMO_MODE=1)",
    )
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
                shape = production_settings() if args.production else {}
                servers[name] = Server(
                    args.db, where, {**shape, **settings}, backend=backend, nginx=args.nginx
                )
            apps: dict[str, App] = {}
            for name, server in servers.items():
                account = (
                    sign_up(server, f"compare-{name}-{uuid.uuid4().hex[:6]}")
                    if args.production
                    else DEMO_ACCOUNT
                )
                expect = {
                    "protected": OURS_EXPECT["protected"].format(username=account["username"]),
                    "bare": OURS_EXPECT["bare"] if args.production else None,
                }
                apps[name] = App(
                    server,
                    (f"{server.base}/api/protected", f"{server.base}/api/demo"),
                    expect,
                    lambda port=server.port, account=account: login_token(port, account),
                )
            for name, other in others.items():
                apps[name] = App(
                    other, (other.protected, other.bare), other.expect, other.renew_token
                )
            results: dict[str, list[dict[str, Any]]] = {name: [] for name in apps}
            for app in apps.values():  # warm-up: connections, caches, imports
                wrk(app.urls[0], 2, 4, {"Authorization": f"Bearer {app.renew()}"})
                wrk(app.urls[1], 2, 4, {})
            for i in range(args.rounds):
                order = list(apps.items())
                for name, app in order if i % 2 == 0 else order[::-1]:
                    last = app.one_round(args.seconds, args.connections)
                    results[name].append(last)
                    print(
                        f"  round {i + 1} {name}: protected {last['protected']['rps']:.0f} req/s,"
                        f" bare {last['bare']['rps']:.0f} req/s, ratio "
                        f"{last['protected']['rps'] / last['bare']['rps']:.3f}, busiest worker "
                        f"{last['protected']['busiest_worker_share']:.0%} / "
                        f"{last['bare']['busiest_worker_share']:.0%}",
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
