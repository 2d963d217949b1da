"""A pytest plugin that `make test` loads (`-p tools.skip_report`): why tests were skipped.

A suite that skips tests still passes ("3 skipped"), so a missing PostgreSQL or Redis goes
unseen. This adds one line per reason to the file named by SKIP_REPORT, and `make test` prints
the file after the last suite: the skips are the last thing on the screen, not buried.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest


def skip_lines(suite: str, skipped: list[pytest.TestReport]) -> list[str]:
    """`<suite>: N tests skipped: <reason>`, one line per distinct reason."""
    reasons: Counter[str] = Counter()
    for report in skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        first_line = reason.removeprefix("Skipped: ").strip().splitlines()[0]
        reasons[first_line] += 1
    return [
        f"{suite}: {count} test{'s' if count > 1 else ''} skipped: {reason}"
        for reason, count in reasons.items()
    ]


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Append this run's skip reasons to $SKIP_REPORT (nothing when none were skipped)."""
    target = os.environ.get("SKIP_REPORT")
    lines = skip_lines(config.rootpath.name, terminalreporter.stats.get("skipped", []))
    if target and lines:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write("".join(f"{line}\n" for line in lines))
