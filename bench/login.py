"""Login cost: POST /api/token one at a time, with the right password, a wrong one, and an unknown
user, interleaved so the machine's noise hits all three alike; and the argon2 parameters the
app hashes with, against OWASP's minimum."""

from __future__ import annotations

import http.client
import time
from typing import Any

from bench.harness import backend_json, percentile, post_json
from bench.measurement import Context, Measurement
from bench.report import mark

CASES = {
    "success": ({"username": "demo", "password": "demo1234"}, 200),
    "wrong_password": ({"username": "demo", "password": "not-the-password"}, 401),
    "unknown_user": ({"username": "nobody-here", "password": "not-the-password"}, 401),
}
ARGON2 = """from app.passwords import PROFILES
p = PROFILES["default"]
print(json.dumps([p.type.name.lower(), p.memory_cost, p.time_cost, p.parallelism]))"""


def login_cost(ctx: Context) -> dict[str, Any]:
    """`ctx.login_samples` logins per outcome on the shared server; p50 and p99 of each."""
    assert ctx.server is not None  # a shared_server measurement
    times: dict[str, list[float]] = {name: [] for name in CASES}
    conn = http.client.HTTPConnection("127.0.0.1", ctx.server.port, timeout=30)
    for body, _status in CASES.values():  # warm-up: the first hash allocates its memory
        post_json(conn, "/api/token", body)
    for _ in range(ctx.login_samples):
        for name, (body, expected) in CASES.items():
            start = time.perf_counter()
            status, _ = post_json(conn, "/api/token", body)
            times[name].append((time.perf_counter() - start) * 1000)
            if status != expected:
                raise SystemExit(f"login {name}: expected {expected}, got {status}")
    conn.close()
    kind, memory, passes, lanes = backend_json(ARGON2, env=ctx.server.env)
    result: dict[str, Any] = {
        "argon2": {
            "type": kind,
            "memory_kib": memory,
            "time_cost": passes,
            "parallelism": lanes,
            "owasp_minimum_met": memory >= 19 * 1024 and passes >= 2 and lanes >= 1,
        },
        "samples": ctx.login_samples,
    }
    for name, values in times.items():
        result[name] = {
            "p50_ms": round(percentile(values, 50), 1),
            "p99_ms": round(percentile(values, 99), 1),
        }
    everything = [v for values in times.values() for v in values]
    result["all"] = {
        "p50_ms": round(percentile(everything, 50), 1),
        "p99_ms": round(percentile(everything, 99), 1),
    }
    return result


def rows(lc: dict[str, Any] | None) -> list[str]:
    """The login cost's rows of the report."""
    if lc is None:
        return []
    argon = lc["argon2"]
    return [
        f"| login p50 / p99 ms (all {3 * lc['samples']}) | {lc['all']['p50_ms']:.0f} / "
        f"{lc['all']['p99_ms']:.0f} | |",
        f"| login p50 ms: success / wrong password / unknown user | "
        f"{lc['success']['p50_ms']:.0f} / {lc['wrong_password']['p50_ms']:.0f} / "
        f"{lc['unknown_user']['p50_ms']:.0f} | about equal |",
        f"| argon2 parameters | {argon['type']}, m={argon['memory_kib'] // 1024} MiB, "
        f"t={argon['time_cost']}, p={argon['parallelism']} | OWASP m>=19 MiB, t>=2, p>=1: "
        f"{mark(argon['owasp_minimum_met'])} |",
    ]


MEASUREMENT = Measurement(
    key="login_cost",
    title="2. login cost ...",
    measure=login_cost,
    rows=rows,
    option="login",
    shared_server=True,
)
