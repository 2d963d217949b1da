"""Signing modes side by side: what checking a token costs a request in each JWT_SIGNING mode.

One production-shape server per mode (MODES), all started at once on scratch databases of their
own; round after round, each in turn (the order reversed every other round, so no mode always
follows another) gets wrk against GET /api/protected and GET /api/demo, and LOGINS logins one
at a time. Per mode: protected requests per second, the server's CPU per protected and bare
request, the login's p50, and the token's verification alone (flask-jwt-extended's
decode_token in the app's context, with that server's settings and keys), timed as CPU in the
backend's own interpreter, as a share of the server's CPU per protected request.

An API without signing modes (no backend/app/keys.py), or one that refuses a mode, is reported
as such, and nothing else is measured for that mode.
"""

from __future__ import annotations

import http.client
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import (
    BACKEND,
    Server,
    backend_json,
    fmt,
    login_token,
    percentile,
    post_json,
    spread,
    wrk,
    wrk_with_cpu,
)
from bench.measurement import Context, Measurement

MODES = ("hs256", "es256", "rs256", "eddsa")
LOGINS = 5  # per mode and round
VERIFICATIONS = 1000  # verifications timed per mode


VERIFY = """import time
from flask_jwt_extended import decode_token
from app import create_app
app = create_app()
with app.app_context():
    decode_token({token!r})
    start = time.process_time()
    for _ in range({n}):
        decode_token({token!r})
    print(json.dumps((time.process_time() - start) / {n} * 1e6))"""


def signature_check_us(server: Server, token: str) -> tuple[float | None, str]:
    """CPU microseconds the app takes to verify `token` (flask-jwt-extended's decode_token in
    the app's context: the signature with the app's key for the token's kid, exp, iss, aud; not
    the revocation query), timed in the backend's interpreter with `server`'s settings; or why
    it could not be timed."""
    try:
        return backend_json(VERIFY.format(token=token, n=VERIFICATIONS), env=server.env), ""
    except SystemExit as e:  # the app refused the token, or has no decode_token path
        return None, str(e).strip().splitlines()[-1][:200]


def login_ms(port: int) -> list[float]:
    """LOGINS logins one at a time, in milliseconds each."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(LOGINS):
        start = time.perf_counter()
        status, body = post_json(conn, "/api/token", {"username": "demo", "password": "demo1234"})
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"login failed: {status} {body}")
    conn.close()
    return times


def signing_modes(ctx: Context) -> dict[str, Any]:
    """Every mode side by side; in a full run a third of the rounds (at least 3)."""
    if not (BACKEND / "app" / "keys.py").is_file():
        return {"skipped": "the API has no signing modes (no backend/app/keys.py)"}
    rounds = ctx.rounds if ctx.alone else max(3, ctx.rounds // 3)
    refused: dict[str, str] = {}
    servers: dict[str, Server] = {}
    with tempfile.TemporaryDirectory(prefix="classroom-bench-") as tmp:
        try:
            for mode in MODES:
                workdir = Path(tmp) / mode
                workdir.mkdir()
                try:
                    servers[mode] = Server(ctx.db, workdir, {"JWT_SIGNING": mode})
                except SystemExit as e:  # the settings refused it, or the server did not start
                    refused[mode] = str(e).strip().splitlines()[-1][:200]
            if not servers:
                return {"skipped": "every mode was refused", "refused": refused}
            tokens = {mode: login_token(s.port) for mode, s in servers.items()}
            for mode, s in servers.items():  # warm-up: connections, caches, imports
                wrk(f"{s.base}/api/protected", 2, 4, {"Authorization": f"Bearer {tokens[mode]}"})
            runs: dict[str, dict[str, list]] = {m: {"p": [], "b": [], "login": []} for m in servers}
            for i in range(rounds):
                order = list(servers.items())
                for mode, s in order if i % 2 == 0 else order[::-1]:
                    auth = {"Authorization": f"Bearer {tokens[mode]}"}
                    p = wrk_with_cpu(s, f"{s.base}/api/protected", ctx.seconds, auth)
                    b = wrk_with_cpu(s, f"{s.base}/api/demo", ctx.seconds, {})
                    logins = login_ms(s.port)
                    runs[mode]["p"].append(p)
                    runs[mode]["b"].append(b)
                    runs[mode]["login"] += logins
                    print(
                        f"  round {i + 1} {mode}: protected {p['rps']:.0f} req/s "
                        f"({p['cpu_us']:.0f} us CPU/req), bare {b['rps']:.0f} req/s "
                        f"({b['cpu_us']:.0f} us CPU/req), login p50 "
                        f"{percentile(logins, 50):.0f} ms",
                        flush=True,
                    )
            modes = {}
            for mode, s in servers.items():
                verify_us, problem = signature_check_us(s, tokens[mode])
                protected_cpu = spread([r["cpu_us"] for r in runs[mode]["p"]])
                modes[mode] = {
                    "protected_rps": spread([r["rps"] for r in runs[mode]["p"]]),
                    "protected_cpu_us": protected_cpu,
                    "bare_cpu_us": spread([r["cpu_us"] for r in runs[mode]["b"]]),
                    "login_p50_ms": round(percentile(runs[mode]["login"], 50), 1),
                    "signature_check_us": None if verify_us is None else round(verify_us, 1),
                    "signature_check_share": None
                    if verify_us is None
                    else round(verify_us / protected_cpu["median"], 3),
                    **({"problem": problem} if problem else {}),
                    "rounds": [
                        {"protected": p, "bare": b}
                        for p, b in zip(runs[mode]["p"], runs[mode]["b"], strict=True)
                    ],
                }
        finally:
            for s in servers.values():
                s.stop()
    return {"modes": modes, "refused": refused, "rounds": rounds}


def rows(sg: dict[str, Any] | None) -> list[str]:
    """A row per mode measured, and one per mode refused."""
    if sg is None:
        return []
    if "skipped" in sg:
        refused = "; ".join(f"{m}: {why}" for m, why in sg.get("refused", {}).items())
        why = f"{sg['skipped']} ({refused})" if refused else sg["skipped"]
        return [f"| JWT_SIGNING modes | not measured: {why} | |"]
    lines = []
    for mode, m in sg["modes"].items():
        check = (
            f"{m['signature_check_us']:.0f} us, {m['signature_check_share']:.0%}"
            if m["signature_check_us"] is not None
            else f"not timed: {m['problem']}"
        )
        lines.append(
            f"| JWT_SIGNING={mode}: protected req/s; server CPU per protected / bare request "
            f"(us); login p50 ms; verifying the token, CPU and share of a protected request | "
            f"{fmt(m['protected_rps'])}; {m['protected_cpu_us']['median']:.0f} / "
            f"{m['bare_cpu_us']['median']:.0f}; {m['login_p50_ms']:.0f}; {check} | |"
        )
    for mode, why in sg["refused"].items():
        lines.append(f"| JWT_SIGNING={mode} | refused: {why} | |")
    return lines


MEASUREMENT = Measurement(
    key="signing",
    title="9. signing modes ...",
    measure=signing_modes,
    rows=rows,
    option="signing",
)
