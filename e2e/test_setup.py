"""What a newcomer's machine does to `make run` and `make test`, and the one line they get back.

An old Python, a busy port, no Chromium: each must stop at once with the fix, not fail deep
inside pip, the server or Playwright. And skipped tests must be said, not only counted.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

from tools.servers import free_port

ROOT = Path(__file__).resolve().parent.parent


def run(
    command: list[str], env: dict | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    """Run a command in the repo (the way a user types it) and keep what it printed."""
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=180, check=False
    )


def fake_python(directory: Path, name: str, version: str) -> None:
    """An executable `name` that says it is Python `version` and fails every other request."""
    script = directory / name
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Python {version}"; exit 0; fi\nexit 1\n'
    )
    script.chmod(0o755)


def find_python(path: Path, **env: str) -> subprocess.CompletedProcess:
    # /bin/sh by its full path: PATH holds only the interpreters of the test.
    return run(["/bin/sh", str(ROOT / "tools" / "find-python")], env={"PATH": str(path), **env})


def test_an_old_python3_stops_at_once_with_what_to_install(tmp_path: Path) -> None:
    fake_python(tmp_path, "python3", "3.9.6")

    found = find_python(tmp_path)

    assert found.returncode == 1
    assert found.stdout == ""
    (line,) = found.stderr.splitlines()
    assert "needs Python 3.11 or newer (found: Python 3.9.6)" in line
    assert "brew install python@3.12" in line
    assert "PYTHON=" in line


def test_a_newer_python_beside_an_old_python3_is_chosen(tmp_path: Path) -> None:
    fake_python(tmp_path, "python3", "3.9.6")
    (tmp_path / "python3.11").symlink_to(sys.executable)

    found = find_python(tmp_path)

    assert (found.returncode, found.stdout.strip()) == (0, "python3.11")


def test_python_named_by_the_user_is_checked_too(tmp_path: Path) -> None:
    fake_python(tmp_path, "python3.10", "3.10.12")
    (tmp_path / "python3.12").symlink_to(sys.executable)

    refused = find_python(tmp_path, PYTHON="python3.10")
    assert refused.returncode == 1
    assert "PYTHON=python3.10 is not Python 3.11 or newer" in refused.stderr

    chosen = find_python(tmp_path, PYTHON=str(tmp_path / "python3.12"))
    assert (chosen.returncode, chosen.stdout.strip()) == (0, str(tmp_path / "python3.12"))


def test_make_run_on_a_busy_port_says_which_port_to_use_instead() -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        busy = squatter.getsockname()[1]
        # -o: take the installs and the SPA build as they are; this is about the port. Without
        # the flags of a `make test` this may run under, as a user would type it.
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        done = run(
            [
                *("make", "-o", "backend/.venv/.runtime", "-o", "frontend/dist/index.html"),
                *("run", f"PORT={busy}"),
            ],
            env=env,
        )

    assert done.returncode != 0
    assert f"Cannot start: port {busy} is already in use. Use make run PORT={busy + 1}" in (
        done.stderr
    )
    # Stopped before the database and the server were touched.
    assert "serve.py" not in done.stdout + done.stderr
    assert "db upgrade" not in done.stdout


def test_make_run_for_the_room_prints_the_address_to_share() -> None:
    port = free_port()
    done = run([sys.executable, "tools/ports.py", "0.0.0.0", str(port)])  # noqa: S104

    assert done.returncode == 0
    # Either the address students type, or how to find it when the machine has no network.
    assert f":{port} (this machine on the room's network)" in done.stdout or (
        "No network address found" in done.stdout
    )
    assert "http://127." not in done.stdout


def test_without_any_chromium_the_e2e_run_stops_with_the_command_to_run(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CHROMIUM_PATH"}
    # No browser downloaded yet, and a download host that refuses: what a closed network does.
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "browsers")
    env["PLAYWRIGHT_DOWNLOAD_HOST"] = f"http://127.0.0.1:{free_port()}"
    # As on a machine without Debian's Chromium.
    script = (
        "import sys, tools.browser as b; b.SYSTEM_CHROMIUM = '/nonexistent/chromium'; "
        "sys.exit(b.main())"
    )

    done = run([sys.executable, "-c", script], env=env)

    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert "run `backend/.venv/bin/python -m playwright install chromium`" in last
    assert "set CHROMIUM_PATH" in last


def test_a_chromium_path_that_does_not_exist_is_said_and_nothing_is_downloaded() -> None:
    env = {**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium"}

    done = run([sys.executable, "-m", "tools.browser"], env=env)

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == (
        "CHROMIUM_PATH=/nonexistent/chromium does not exist: point it at a Chromium, or unset it"
    )


def test_skipped_tests_are_listed_with_their_reason(tmp_path: Path) -> None:
    suite = "backend"
    tests = tmp_path / suite
    tests.mkdir()
    (tests / "test_needs_a_server.py").write_text(
        "import pytest\n"
        "def test_runs():\n    pass\n"
        "@pytest.mark.parametrize('n', [1, 2])\n"
        "def test_needs_redis(n):\n    pytest.skip('no Redis server at redis://127.0.0.1:6379')\n"
        "def test_needs_postgres():\n    pytest.skip('no PostgreSQL server\\nsecond line')\n"
    )
    report = tmp_path / "skipped.txt"
    env = {**os.environ, "SKIP_REPORT": str(report), "PYTHONPATH": str(ROOT)}

    done = run(
        [sys.executable, "-m", "pytest", "-p", "tools.skip_report", "-q", "-p", "no:cacheprovider"],
        env=env,
        cwd=tests,
    )

    assert done.returncode == 0, done.stdout
    assert report.read_text().splitlines() == [
        f"{suite}: 2 tests skipped: no Redis server at redis://127.0.0.1:6379",
        f"{suite}: 1 test skipped: no PostgreSQL server",
    ]


def test_the_dev_container_gives_the_versions_and_ports_the_project_pins() -> None:
    """Codespaces reads .devcontainer/devcontainer.json: it must agree with the project's pins."""
    config = json.loads((ROOT / ".devcontainer" / "devcontainer.json").read_text())

    python = re.fullmatch(
        r"mcr\.microsoft\.com/devcontainers/python:(\d+\.\d+)-bookworm", config["image"]
    )
    assert python, config["image"]
    assert python[1] == (ROOT / ".python-version").read_text().strip()
    assert tuple(map(int, python[1].split("."))) >= (3, 11)
    node = config["features"]["ghcr.io/devcontainers/features/node:1"]["version"]
    assert node == (ROOT / ".nvmrc").read_text().strip()

    # The app's ports, each forwarded with a label: make run's default and Vite's.
    assert config["forwardPorts"] == [5000, 5173]
    for port in ("5000", "5173"):
        assert config["portsAttributes"][port]["label"].startswith("JWT Classroom")
    assert "PORT ?= 5000" in (ROOT / "Makefile").read_text()
    assert "port: 5173" in (ROOT / "frontend" / "vite.config.js").read_text()

    # Created with Chromium and every install, so make run / dev / test start at once.
    on_create = (ROOT / config["onCreateCommand"].removeprefix("bash ")).read_text()
    assert "apt-get install" in on_create and "chromium" in on_create
    assert "make install" in on_create
