"""Start, wait for and stop the real servers that e2e/, deploy/tests/ and bench/ run against.

Each server runs in its own session (process group), so stopping it also stops its children:
gunicorn's workers, nginx's workers, the Vite dev server's esbuild. Its output goes to a file,
shown when it fails to start.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


class ServerDidNotStart(RuntimeError):
    """A server died or never answered; the message carries its output."""


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it, so parallel runs don't collide)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    """A server we started, and the file its output goes to."""

    name: str
    popen: subprocess.Popen
    log: Path

    def output(self, limit: int = 8000) -> str:
        """The end of what the server printed."""
        return self.log.read_text(errors="replace")[-limit:]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        """Signal the whole process group and wait for it; SIGKILL if it will not go."""
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=timeout)
        except ProcessLookupError:
            pass


def start(name: str, command: list[str], *, cwd: Path, env: dict, log: Path) -> Process:
    """Start `command` in its own session, its output (stdout and stderr) going to `log`."""
    with log.open("wb") as out:
        popen = subprocess.Popen(  # noqa: S603 (our own commands, no shell)
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(name, popen, log)


def wait_until_up(process: Process, url: str, timeout: float = 60) -> None:
    """Poll `url` until it answers 200; raise ServerDidNotStart if the server dies or never does.

    A 503 counts as "not yet" (e.g. /api/health while the database is not ready).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise ServerDidNotStart(
                f"{process.name} exited with code {process.popen.returncode} before {url} "
                f"answered. Its output:\n{process.output()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet, or not ready
        time.sleep(0.2)
    process.stop()
    raise ServerDidNotStart(
        f"{process.name} did not answer 200 on {url} within {timeout:.0f} s. "
        f"Its output:\n{process.output()}"
    )
