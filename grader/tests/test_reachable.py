"""Set-up problems are named as set-up, with what to change, before any check runs."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from grader import reachable
from grader.tests.helpers import run_grader
from tools.servers import free_port


class Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


class IPv6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


@pytest.fixture
def ipv6_only() -> Iterator[int]:
    """An HTTP server listening on [::1] only (as some dev servers do for `localhost`)."""
    server = IPv6Server(("::1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_an_address_that_answers_any_status_is_no_problem(ipv6_only):
    assert reachable.problem("API", f"http://[::1]:{ipv6_only}/api") is None


def test_localhost_against_127_0_0_1_names_the_address_that_answers(monkeypatch):
    # Where `localhost` is [::1] first (macOS, many Linux), a server on one address is not on
    # the other; this machine's `localhost` is 127.0.0.1 only, so the two answers are given.
    answering = {"http://localhost:3001/api": ""}
    monkeypatch.setattr(reachable, "answers", lambda url: answering.get(url, "no connection"))
    problem = reachable.problem("API", "http://127.0.0.1:3001/api")
    assert problem is not None
    assert problem.problem == (
        "API http://127.0.0.1:3001/api does not answer (no connection), "
        "but http://localhost:3001/api does."
    )
    assert problem.fix.startswith("Grade with API=http://localhost:3001/api")


def test_a_port_nobody_listens_on_says_start_it_or_pass_the_address(tmp_path):
    port = free_port()
    problem = reachable.problem("APP", f"http://127.0.0.1:{port}")
    assert problem is not None
    assert problem.problem == f"APP http://127.0.0.1:{port} does not answer (no connection)."
    assert "pass APP=" in problem.fix


def test_a_grade_with_an_api_that_is_not_running_is_not_graded(tmp_path, ipv6_only):
    dead = free_port()
    graded = run_grader(
        *("--api", f"http://127.0.0.1:{dead}/api", "--app", f"http://[::1]:{ipv6_only}"),
        *("--username", "ann", "--password=-starts-with-a-dash"),
        out=tmp_path / "out.json",
    )
    assert graded.status == 4, graded.report
    assert [p["problem"] for p in graded.json["setup"]] == [
        f"API http://127.0.0.1:{dead}/api does not answer (no connection)."
    ]
    # Nothing about the student's code: every check is "not run", none failed.
    assert graded.ids("fail") == set()
    notes = {result["note"] for result in graded.results.values()}
    assert notes == {"Not run: set-up problem (see the top of the report)."}
