"""Helpers for the grader's tests: serve a test app, run `python -m grader` as a teacher would.

Grading runs in a process of its own, with its exit status, terminal report and --json file;
the tests read the JSON. The test apps run in their own process too (grader/tests/apps/serve.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.servers import Process, free_port, start, wait_until_up

REPO_ROOT = Path(__file__).resolve().parents[2]
USERNAME, PASSWORD = "student", "pass1234"


@dataclass
class Graded:
    """What one run of the grader gave: exit status, report text, results by check id."""

    status: int
    report: str
    json: dict
    folder: Path  # where its --json (and any --junit) file is

    @property
    def results(self) -> dict[str, dict]:
        return {check["id"]: check for check in self.json["checks"]}

    def ids(self, status: str) -> set[str]:
        return {cid for cid, result in self.results.items() if result["result"] == status}


def run_grader(*args: str, out: Path) -> Graded:
    """`python -m grader ARGS --json out` from the repository root."""
    done = subprocess.run(
        [sys.executable, "-m", "grader", *args, "--json", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    report = done.stdout + done.stderr
    assert out.exists(), f"the grader wrote no JSON (exit {done.returncode}):\n{report}"
    return Graded(done.returncode, report, json.loads(out.read_text()), out.parent)


@dataclass
class TestApp:
    """A test app being served: its API and page URLs."""

    api: str
    app: str
    process: Process


def serve(kind: str, tmp: Path, flaws: tuple[str, ...] = ()) -> TestApp:
    """Start grader/tests/apps/serve.py for the lesson's app or a student's with `flaws`."""
    api_port, page_port = free_port(), free_port()
    process = start(
        f"the {kind} test app",
        [
            sys.executable,
            "-m",
            "grader.tests.apps.serve",
            kind,
            f"--api-port={api_port}",
            f"--page-port={page_port}",
            f"--username={USERNAME}",
            f"--password={PASSWORD}",
            f"--flaws={','.join(flaws)}",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        log=tmp / f"{kind}.log",
    )
    page = f"http://127.0.0.1:{page_port}"
    wait_until_up(process, page + "/")
    return TestApp(f"http://127.0.0.1:{api_port}", page, process)
