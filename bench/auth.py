"""Auth overhead: what the token checks cost a request.

wrk against GET /api/protected (signature, expiry, revocation and user checks) and GET /api/demo
(a bare JSON route: no token, no database), alternating, several rounds; the ratio
protected/bare. Not /api/health: it does a database round trip on purpose, so it is not bare,
and the difference wanted is exactly the token checks plus the user query. On PostgreSQL also
the database round trips per request, PostgreSQL's own CPU per request, and the connections the
workers opened and closed meanwhile.
"""

from __future__ import annotations

import statistics
from typing import Any

from bench.harness import (
    LOPSIDED,
    WORKERS,
    fmt,
    is_lopsided,
    login_token,
    spread,
    wrk,
    wrk_with_cpu,
)
from bench.measurement import Context, Measurement
from bench.report import mark

# protected/bare requests per second, at least: on a SQLite file, and on PostgreSQL (where the
# revocation query is a round trip to another process on the same cores).
BUDGET_RATIO = {"sqlite": 0.60, "postgres": 0.53}


def auth_overhead(ctx: Context) -> dict[str, Any]:
    """wrk against /api/protected and /api/demo, alternating, `ctx.rounds` times."""
    server = ctx.server
    assert server is not None  # a shared_server measurement
    token = login_token(server.port)
    auth = {"Authorization": f"Bearer {token}"}
    wrk(f"{server.base}/api/protected", 2, 4, auth)  # warm-up: connections, caches, imports
    wrk(f"{server.base}/api/demo", 2, 4, {})
    protected, bare, ratios, cpu_ratios = [], [], [], []
    for i in range(ctx.rounds):
        p = wrk_with_cpu(server, f"{server.base}/api/protected", ctx.seconds, auth)
        b = wrk_with_cpu(server, f"{server.base}/api/demo", ctx.seconds, {})
        protected.append(p)
        bare.append(b)
        ratios.append(p["rps"] / b["rps"])
        cpu_ratios.append(b["cpu_us"] / p["cpu_us"])
        database = ""
        if "round_trips" in p:
            database = (
                f"; database round trips per request {p['round_trips']:.2f} / "
                f"{b['round_trips']:.2f}, connections opened {p['connections_opened']}, closed "
                f"{p['connections_closed']}"
            )
        print(
            f"  round {i + 1}: protected {p['rps']:.0f} req/s ({p['cpu_us']:.0f} us CPU/req), "
            f"bare {b['rps']:.0f} req/s ({b['cpu_us']:.0f} us CPU/req), ratio {ratios[-1]:.2f} "
            f"(by CPU {cpu_ratios[-1]:.2f}); busiest worker's share of the CPU "
            f"{p['busiest_worker_share']:.0%} / {b['busiest_worker_share']:.0%}{database}",
            flush=True,
        )
    budget = BUDGET_RATIO[server.db]
    figures: dict[str, Any] = {}
    if "round_trips" in protected[0]:
        figures = {
            "protected_round_trips": spread([r["round_trips"] for r in protected]),
            "bare_round_trips": spread([r["round_trips"] for r in bare]),
            "connections_opened": sum(r["connections_opened"] for r in protected + bare),
            "connections_closed": sum(r["connections_closed"] for r in protected + bare),
        }
    if "db_cpu_us" in protected[0]:
        figures["protected_db_cpu_us"] = spread([r["db_cpu_us"] for r in protected])
        figures["bare_db_cpu_us"] = spread([r["db_cpu_us"] for r in bare])
    return {
        "protected_rps": spread([r["rps"] for r in protected]),
        "protected_p50_ms": spread([r["p50_ms"] for r in protected]),
        "protected_p99_ms": spread([r["p99_ms"] for r in protected]),
        "bare_rps": spread([r["rps"] for r in bare]),
        "bare_p50_ms": spread([r["p50_ms"] for r in bare]),
        "bare_p99_ms": spread([r["p99_ms"] for r in bare]),
        "protected_cpu_us": spread([r["cpu_us"] for r in protected]),
        "bare_cpu_us": spread([r["cpu_us"] for r in bare]),
        "ratio": spread(ratios),
        # bare CPU per request / protected CPU per request: the same ratio, as the server's cost.
        "ratio_by_cpu": spread(cpu_ratios),
        # Every round counts. How evenly the work reached the workers is a figure of its own:
        # the busiest worker's share of the CPU (with two workers, 50% is even), and the runs
        # where it was over LOPSIDED.
        "busiest_worker_share": spread([r["busiest_worker_share"] for r in protected + bare]),
        "lopsided_runs": sum(1 for r in protected + bare if is_lopsided(r)),
        "runs": len(protected) + len(bare),
        **figures,
        # Every round as measured, so a reader can tell a quiet round from a noisy one.
        "rounds": [{"protected": p, "bare": b} for p, b in zip(protected, bare, strict=True)],
        "budget": budget,
        "met": statistics.median(ratios) >= budget,
    }


def database_rows(a: dict[str, Any]) -> list[str]:
    """The rounds' PostgreSQL figures, as table rows (none on SQLite)."""
    rows = []
    if "protected_round_trips" in a:
        rows += [
            f"| database round trips per request, protected / bare | "
            f"{fmt(a['protected_round_trips'], 2)} / {fmt(a['bare_round_trips'], 2)} | |",
            f"| database connections opened / closed during the rounds | "
            f"{a['connections_opened']} / {a['connections_closed']} | |",
        ]
    if "protected_db_cpu_us" in a:
        rows.append(
            f"| PostgreSQL CPU per request, protected / bare (us) | "
            f"{fmt(a['protected_db_cpu_us'])} / {fmt(a['bare_db_cpu_us'])} | |"
        )
    return rows


def rows(a: dict[str, Any] | None) -> list[str]:
    """The auth overhead's rows of the report."""
    if a is None:
        return []
    return [
        f"| GET /api/protected req/s | {fmt(a['protected_rps'])} | |",
        f"| GET /api/demo (bare) req/s | {fmt(a['bare_rps'])} | |",
        f"| protected p50 / p99 ms | {a['protected_p50_ms']['median']:.2f} / "
        f"{a['protected_p99_ms']['median']:.2f} | |",
        f"| bare p50 / p99 ms | {a['bare_p50_ms']['median']:.2f} / "
        f"{a['bare_p99_ms']['median']:.2f} | |",
        f"| server CPU per request, protected / bare (us) | "
        f"{fmt(a['protected_cpu_us'])} / {fmt(a['bare_cpu_us'])} | |",
        f"| imbalance: the busiest of {WORKERS} workers' share of the CPU, per wrk run; runs "
        f"over {LOPSIDED:.0%} | {fmt(a['busiest_worker_share'], 2)}; {a['lopsided_runs']} of "
        f"{a['runs']} | even: {1 / WORKERS:.2f} |",
        # Three digits: at 0.598 the budget is not met, and "0.60 NOT MET" would only puzzle.
        f"| **auth overhead: ratio protected/bare req/s** | **{fmt(a['ratio'], 3)}** | "
        f">= {a['budget']:.2f}: {mark(a['met'])} |",
        f"| same ratio from server CPU per request (bare/protected) | "
        f"{fmt(a['ratio_by_cpu'], 3)} | (less sensitive to a busy machine) |",
        *database_rows(a),
    ]


def check_limits(auth: dict[str, Any], floor: float | None, max_round_trips: float | None) -> None:
    """Exit with status 1, saying why, if the auth figures fell below the given limits (CI's
    --floor and --max-round-trips, far enough from the budgets that only a collapse fails)."""
    failures = []
    ratio = auth["ratio"]["median"]
    if floor is not None and ratio < floor:
        failures.append(f"auth ratio {ratio:.3f} is below the floor {floor}")
    round_trips = auth.get("protected_round_trips", {}).get("median")
    if max_round_trips is not None and round_trips is not None and round_trips > max_round_trips:
        failures.append(
            f"a protected request asks the database {round_trips:.2f} round trips, "
            f"more than {max_round_trips}"
        )
    if failures:
        raise SystemExit("bench: " + "; ".join(failures))
    if floor is not None or max_round_trips is not None:
        trips = "" if round_trips is None else f", database round trips {round_trips:.2f}"
        print(f"bench: within the limits (auth ratio {ratio:.3f}{trips})")


MEASUREMENT = Measurement(
    key="auth_overhead",
    title="1. auth overhead ...",
    measure=auth_overhead,
    rows=rows,
    option="auth",
    shared_server=True,
)
