"""The machine itself: how often a core that is running stops for more than PAUSE_S, with the
other cores idle and then busy.

On a virtual machine the host can take a core away when all of them are busy, which no priority
inside the machine can prevent; the login storm's p99 then measures the host as much as the app.
It runs before every other measurement, while nothing of ours runs (after the test suites,
Chromium's last processes still do).
"""

from __future__ import annotations

import os
import subprocess
import time
from typing import Any

from bench.harness import PYTHON
from bench.measurement import Context, Measurement

SECONDS = 3.0  # each half of each round
PAUSE_S = 0.001  # a gap this long between two clock reads of a spinning loop: the core was taken


def pauses(seconds: float) -> dict[str, float]:
    """Spin for `seconds`, reading the clock; count the gaps longer than PAUSE_S."""
    gaps = []
    last = time.perf_counter()
    end = last + seconds
    while (now := time.perf_counter()) < end:
        if now - last > PAUSE_S:
            gaps.append(now - last)
        last = now
    return {
        "pauses": len(gaps),
        "paused_ms": round(sum(gaps) * 1e3, 1),
        "longest_ms": round(max(gaps, default=0) * 1e3, 2),
    }


def machine_pauses(_ctx: Context, rounds: int = 2) -> dict[str, Any] | None:
    """Pauses of the first core while it spins alone, then while every other core spins too.

    Nothing we start runs on the first core but the spinning loop, in either half. Pauses that
    come only in the second half are the host's: it took a core away from a machine that was
    using all of them. Halves alternate, `rounds` times; the counts are summed. None on a
    single core.
    """
    mine = os.sched_getaffinity(0)
    cores = sorted(mine)
    if len(cores) < 2:
        return None
    os.sched_setaffinity(0, {cores[0]})
    spin = "import time\nend = time.monotonic() + {s}\nwhile time.monotonic() < end: pass"
    alone, busy = [], []
    try:
        for _ in range(rounds):
            alone.append(pauses(SECONDS))
            spinners = [
                subprocess.Popen(  # noqa: S603 (our own interpreter and code)
                    [PYTHON, "-c", spin.format(s=SECONDS + 0.5)],
                    preexec_fn=lambda core=core: os.sched_setaffinity(0, {core}),
                )
                for core in cores[1:]
            ]
            time.sleep(0.3)  # every spinner running
            busy.append(pauses(SECONDS))
            for spinner in spinners:
                spinner.wait()
    finally:
        os.sched_setaffinity(0, mine)

    def total(halves: list[dict[str, float]]) -> dict[str, float]:
        return {
            "pauses": sum(h["pauses"] for h in halves),
            "paused_ms": round(sum(h["paused_ms"] for h in halves), 1),
            "longest_ms": max(h["longest_ms"] for h in halves),
        }

    return {"seconds": SECONDS * rounds, "others_idle": total(alone), "others_busy": total(busy)}


def rows(mp: dict[str, Any] | None) -> list[str]:
    """The machine's row of the report."""
    if mp is None:
        return []
    idle, busy = mp["others_idle"], mp["others_busy"]
    return [
        f"| the machine: a spinning core's pauses > 1 ms in {mp['seconds']:.0f} s, other cores "
        f"idle / busy | {idle['pauses']} (longest {idle['longest_ms']:.1f} ms) / "
        f"{busy['pauses']} (longest {busy['longest_ms']:.1f} ms) | only when busy: the host's |"
    ]


MEASUREMENT = Measurement(
    key="machine_pauses",
    title="the machine ...",
    measure=machine_pauses,
    rows=rows,
    option="machine",
    first=True,
)
