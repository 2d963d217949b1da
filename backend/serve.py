"""Serve the app with granian: `make run`, `make room`, the Docker image, the scale test, the bench.

    python serve.py [--bind HOST:PORT]

granian reads and parses each request in its own Rust event loop and hands it to one of the
WEB_THREADS Python threads of a process only once the request line and headers have all
arrived. A client that trickles its headers (or never finishes them) holds a socket, not a
thread, and is cut off after HEADER_READ_TIMEOUT_MS, so slow clients cannot take the threads
that everyone else's requests need. bench/README.md ("Which server") measures it against
gunicorn, waitress and others.

Every setting can be changed from the environment, so one file serves a laptop and a school.
"""

from __future__ import annotations

import argparse
import logging
import os

from dotenv import load_dotenv
from granian import Granian
from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.log import logger as granian_log

from app.config import REPO_ROOT, is_truthy, read_setting
from app.demo import demo_accounts
from app.errors import MAX_HEADER_BYTES

# A request whose headers have not all arrived after this long is cut off (milliseconds).
HEADER_READ_TIMEOUT_MS = 10_000
# granian keeps at most this much of a request's head in memory and answers 431 itself past
# it. Four times the app's own limit, so the app sees every request up to well past that limit
# and answers it with its JSON 431 (app/errors.py).
BUFFER_BYTES = 4 * MAX_HEADER_BYTES


class QuietAboutThreads(logging.Filter):
    """Drop granian's start-up warning about more threads than twice the cores: ours spend most
    of their time waiting (for the database, for a password hash), which is what they are for."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for that one warning."""
        return "Python threads" not in record.getMessage()


def announce(address: str) -> None:
    """Say where the app is, once it listens (and the demo logins in demo mode)."""
    print(f"JWT Classroom is running on http://{address}", flush=True)
    if is_truthy(os.environ.get("DEMO_MODE")):
        accounts = demo_accounts(os.environ.get("DEMO_TEACHER_PASSWORD") or None)
        logins = ", ".join(f"{a['username']} / {a['password']}" for a in accounts)
        print(f"Demo mode: log in with {logins}", flush=True)
    # `make run HOST=0.0.0.0` (`make room`) says which address students type (tools/ports.py).
    if os.environ.get("ROOM_NOTE"):
        print(os.environ["ROOM_NOTE"], flush=True)


def server(bind: str) -> Granian:
    """granian serving `app:create_app()` on `bind` (HOST:PORT), from the environment's settings."""
    production = os.environ.get("APP_ENV", "development").strip().lower() == "production"
    cores = os.cpu_count() or 1
    host, _, port = bind.rpartition(":")
    # Processes x threads. A process runs Python code on one core at a time (the GIL), so in
    # production we start one per core; `make run` stays one light process. Several processes
    # need shared state: PostgreSQL (DATABASE_URL) and Redis (RATELIMIT_STORAGE_URI).
    workers = int(os.environ.get("WEB_CONCURRENCY", str(cores if production else 1)))
    # Threads let one process serve a token check while another waits for the database or for
    # a password hash (argon2 releases the GIL; logins wait for a hashing thread in a bounded
    # queue, app/passwords.py). The same setting sizes each process's pool of database
    # connections (app/config.py): one per thread, so the two cannot disagree.
    threads = read_setting("WEB_THREADS", os.environ)
    granian = Granian(
        "app:create_app",
        factory=True,
        interface=Interfaces.WSGI,
        address=host,
        port=int(port),
        workers=workers,
        blocking_threads=threads,
        http=HTTPModes.http1,  # nginx in front speaks HTTP/1.1 to it; so do students' browsers
        websockets=False,
        http1_settings=HTTP1Settings(
            header_read_timeout=HEADER_READ_TIMEOUT_MS, max_buffer_size=BUFFER_BYTES
        ),
        # `make run`: one line per request on stdout, so students watch their requests arrive.
        # In production nginx logs every request (deploy/nginx); writing each line twice would
        # cost the API CPU on every request. WEB_ACCESS_LOG=1 turns it on there too.
        log_access=not production or is_truthy(os.environ.get("WEB_ACCESS_LOG")),
        log_access_format='%(addr)s "%(method)s %(path)s" %(status)d %(dt_ms).1fms',
        # A worker that dies is started again; on stop, requests get this long to finish.
        respawn_failed_workers=True,
        workers_kill_timeout=int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "10")),
    )
    granian.on_startup(lambda: announce(bind))
    granian_log.addFilter(QuietAboutThreads())
    return granian


def main() -> None:
    """Read `.env` as the app does, then serve until stopped (Ctrl-C, SIGTERM)."""
    # `.env` first, so this file and the app see the same settings (WEB_THREADS most of all).
    load_dotenv(REPO_ROOT / ".env", override=False)
    parser = argparse.ArgumentParser(description="Serve JWT Classroom with granian.")
    parser.add_argument(
        "--bind",
        default=os.environ.get("WEB_BIND", f"127.0.0.1:{os.environ.get('PORT', '5000')}"),
        help="HOST:PORT to listen on (default: WEB_BIND, else 127.0.0.1:$PORT)",
    )
    server(parser.parse_args().bind).serve()


if __name__ == "__main__":
    main()
