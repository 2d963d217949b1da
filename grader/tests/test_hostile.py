"""The grader against hostile "student apps" (grader/tests/hostile/): one attack each.

A teacher runs the grader on code nobody has checked. Whatever the app does, the grade must end
(within its deadline), stay small, contact API and APP only (listing what it refused), print
nothing raw that a terminal would obey, and turn any odd answer into a finding, never a
traceback. Each grading runs `python -m grader` in a process of its own, a few at a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.tests.helpers import PASSWORD, REPO_ROOT, USERNAME
from grader.tests.hostile.serve import BEHAVIOURS
from grader.tests.hostile.tiny import Outside
from tools.servers import free_port, start, wait_until_up

DEFAULT_DEADLINE_S = 120  # python -m grader's default --deadline
SHORT_DEADLINE_S = 60  # for the attacks that would otherwise use all of it
MARGIN_S = 60  # closing the browser, writing the reports; generous on a shared machine
MAX_GRADER_MEMORY = 300 * 1024 * 1024
EXIT_STATUSES = {0, 1, 3, 4}  # passed, failed, rate-limited, not graded (set-up problem)
TIME_BOUND = {"drip", "drip_head", "huge", "loop", "alert_flood"}


@dataclass
class Hostile:
    """One grading of a hostile app: what the grader printed and wrote, and what it cost."""

    status: int
    output: str  # stdout and stderr
    stdout: bytes
    json: dict
    junit: bytes
    peak_memory: int  # the grader process's VmHWM, in bytes
    outside: Outside

    @property
    def results(self) -> dict[str, str]:
        return {check["id"]: check["result"] for check in self.json["checks"]}

    def blocked_mentions(self, port: int) -> list[str]:
        return [line for line in self.json.get("blocked", []) if f"127.0.0.1:{port}" in line]


def peak_memory(pid: int) -> int:
    """VmHWM (the most memory the process has held) of a running process, in bytes; 0 if gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def grade_hostile(behaviour: str, folder: Path) -> Hostile:
    """Serve the hostile app, grade it as a teacher would, watch the grader's memory."""
    outside = Outside()
    api_port, page_port = free_port(), free_port()
    server = start(
        f"the hostile app ({behaviour})",
        [
            sys.executable,
            "-m",
            "grader.tests.hostile.serve",
            behaviour,
            f"--api-port={api_port}",
            f"--page-port={page_port}",
            f"--outside-port={outside.port}",
            f"--username={USERNAME}",
            f"--password={PASSWORD}",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        log=folder / "app.log",
    )
    page = f"http://127.0.0.1:{page_port}"
    deadline = SHORT_DEADLINE_S if behaviour in TIME_BOUND else DEFAULT_DEADLINE_S
    options = ["--deadline", str(deadline)] if behaviour in TIME_BOUND else []
    try:
        wait_until_up(server, page + "/config.js")
        with (folder / "stdout").open("wb") as stdout, (folder / "stderr").open("wb") as stderr:
            grader = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "grader",
                    f"--api=http://127.0.0.1:{api_port}",
                    f"--app={page}",
                    f"--username={USERNAME}",
                    f"--password={PASSWORD}",
                    *options,
                    "--json",
                    str(folder / "grade.json"),
                    "--junit",
                    str(folder / "junit.xml"),
                ],
                cwd=REPO_ROOT,
                env={**os.environ, "NO_COLOR": "1"},
                stdout=stdout,
                stderr=stderr,
            )
            peak = 0
            ends_by = time.monotonic() + deadline + MARGIN_S
            while grader.poll() is None and time.monotonic() < ends_by:
                peak = max(peak, peak_memory(grader.pid))
                time.sleep(0.1)
            if grader.poll() is None:
                grader.kill()
                grader.wait()
                pytest.fail(
                    f"{behaviour}: the grade did not end within {deadline} s + {MARGIN_S} s"
                )
    finally:
        server.stop()
    out = (folder / "stdout").read_bytes()
    output = out.decode(errors="replace") + (folder / "stderr").read_text(errors="replace")
    report = folder / "grade.json"
    assert report.exists(), f"{behaviour}: no JSON written (exit {grader.returncode}):\n{output}"
    junit = folder / "junit.xml"
    return Hostile(
        status=grader.returncode,
        output=output,
        stdout=out,
        json=json.loads(report.read_text()),
        junit=junit.read_bytes() if junit.exists() else b"",
        peak_memory=peak,
        outside=outside,
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Hostile]]:
    """Every hostile app graded in the background, three at a time; `hostile(name)` waits."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures: dict[str, Future[Hostile]] = {
            name: pool.submit(grade_hostile, name, tmp_path_factory.mktemp(name))
            for name in BEHAVIOURS
        }
        yield lambda name: futures[name].result()


@pytest.mark.parametrize("behaviour", sorted(BEHAVIOURS))
def test_any_hostile_app_gets_a_clean_bounded_grade(hostile, behaviour):
    graded = hostile(behaviour)
    assert graded.status in EXIT_STATUSES, graded.output
    assert "Traceback" not in graded.output, graded.output
    assert b"\x1b" not in graded.stdout, "a raw escape reached the terminal"
    assert graded.junit, "no JUnit file written"
    ET.fromstring(graded.junit)  # noqa: S314 (the grader's own file): well-formed XML
    assert b"\x1b" not in graded.junit
    assert graded.peak_memory < MAX_GRADER_MEMORY, f"{graded.peak_memory / 2**20:.0f} MiB"
    assert graded.outside.connections == 0, "a connection reached the outside port"
    assert graded.outside.datagrams == 0, "a datagram (STUN) reached the outside port"
    assert "blocked" in graded.json and "deadline_passed" in graded.json


@pytest.mark.parametrize("behaviour", ["redirect_page", "redirect_assets", "websocket"])
def test_what_was_refused_is_listed(hostile, behaviour):
    graded = hostile(behaviour)
    assert graded.blocked_mentions(graded.outside.port), graded.json.get("blocked")


def test_a_page_that_redirects_away_has_no_login_form(hostile):
    graded = hostile("redirect_page")
    assert graded.results["browser.login_form"] == "fail", graded.output


def test_redirected_assets_do_not_stop_a_correct_app_passing(hostile):
    graded = hostile("redirect_assets")
    assert graded.results["browser.logs_in"] == "pass", graded.output
    assert graded.results["browser.private_shows_user"] == "pass", graded.output


@pytest.mark.parametrize("behaviour", ["drip", "huge", "deep_json"])
def test_a_login_answer_that_cannot_be_read_fails_the_login(hostile, behaviour):
    graded = hostile(behaviour)
    assert graded.status == 1, graded.output
    assert graded.results["api.login"] == "fail", graded.output


@pytest.mark.parametrize("behaviour", ["loop", "alert_flood"])
def test_a_page_that_never_lets_go_ends_with_a_finding(hostile, behaviour):
    graded = hostile(behaviour)
    assert graded.status == 1, graded.output
    assert graded.results["browser.login_form"] != "pass", graded.output


def test_escape_sequences_are_shown_not_obeyed(hostile):
    graded = hostile("escapes")
    assert "\\x1b" in graded.output, "the escapes are not shown made visible"
    for forbidden in ("\x07", "\r", "\u202e"):
        assert forbidden not in graded.stdout.decode(errors="replace")


def test_a_key_set_too_big_to_read_is_a_warning_read_no_further_than_1_mib(hostile):
    graded = hostile("huge_jwks")
    (jwks,) = [check for check in graded.json["checks"] if check["id"] == "api.jwks"]
    assert jwks["result"] == "warn", graded.output
    assert "cut at 1 MiB" in jwks["note"], jwks


def test_a_token_whose_header_is_an_array_is_not_a_jwt(hostile):
    graded = hostile("array_header")
    assert graded.results["api.token_is_jwt"] == "fail", graded.output


def test_a_token_that_never_expires_by_infinity_is_a_finding(hostile):
    graded = hostile("infinity_exp")
    assert graded.results["api.token_expires"] in {"fail", "warn"}, graded.output


def test_an_api_whose_head_never_ends_is_a_set_up_problem(hostile):
    graded = hostile("drip_head")
    assert graded.status == 4, graded.output
    assert graded.json["setup"], graded.output
