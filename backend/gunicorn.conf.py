"""gunicorn settings, used by `make run` (gunicorn -c gunicorn.conf.py "app:create_app()"),
by the Docker image (backend/Dockerfile), the scale-out test and the benchmark.

Flask's built-in server (`flask run`) is for development only; gunicorn is a real WSGI server.
Every setting can be changed from the environment, so one file serves a laptop and a school.
"""

import os

from dotenv import load_dotenv
from gunicorn.arbiter import Arbiter

from app.config import REPO_ROOT, is_truthy, read_setting
from app.demo import demo_accounts

# `.env` as the app reads it, so both see the same settings (GUNICORN_THREADS most of all).
load_dotenv(REPO_ROOT / ".env", override=False)

production = os.environ.get("APP_ENV", "development").strip().lower() == "production"
cores = os.cpu_count() or 1

# Processes x threads. A process runs Python code on one core at a time (the GIL), so in
# production we start one per core; `make run` stays one light process. Several processes
# need shared state: PostgreSQL (DATABASE_URL) and Redis (RATELIMIT_STORAGE_URI).
workers = int(os.environ.get("WEB_CONCURRENCY", str(cores if production else 1)))
# Threads let one process serve a token check while another thread waits for the database or
# hashes a password (argon2 releases the GIL). More threads than password hashes that can run
# at once, so logins queue for the hasher and never take every thread (see app/passwords.py).
# The same setting sizes each process's pool of database connections (app/config.py): one per
# thread, so the two cannot disagree.
threads = read_setting("GUNICORN_THREADS", os.environ)
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '5000')}")
# The workers accept from one shared socket: the first worker free to run takes each new
# connection, and keeps it while it stays open. A client that opens all its connections at once
# straight to gunicorn (a load test) can find most of them on one worker; nginx in front picks a
# connection per request, so the requests spread (deploy/README.md). A socket per worker
# (reuse_port) would deal connections out at random, busy worker or not: better for a client
# that opens all its connections in one burst, worse behind nginx (bench/README.md).

# `make run`: one line per request on stdout, so students watch their requests arrive. In
# production nginx logs every request (deploy/nginx), and writing each line twice costs the API
# CPU on every request; `GUNICORN_CMD_ARGS="--access-logfile -"` turns it back on.
accesslog = None if production else "-"
errorlog = "-"
# %(L)s: request time in seconds, to spot slow requests in the log.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'
timeout = 30  # a worker stuck for 30 s is killed and replaced
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "10"))  # on SIGTERM / Ctrl-C
keepalive = 5  # seconds; nginx in front reuses connections

# gunicorn 25+ opens a control socket at one fixed path per user; two servers (make run while
# the e2e suite runs) would fight over it, and nothing here uses it.
control_socket_disable = True


def when_ready(server: Arbiter) -> None:
    """Say where the app is, once it is listening (and the demo logins in demo mode)."""
    for address in server.cfg.bind:
        print(f"JWT Classroom is running on http://{address}", flush=True)
    if is_truthy(os.environ.get("DEMO_MODE")):
        accounts = demo_accounts(os.environ.get("DEMO_TEACHER_PASSWORD") or None)
        logins = ", ".join(f"{a['username']} / {a['password']}" for a in accounts)
        print(f"Demo mode: log in with {logins}", flush=True)
    # `make run HOST=0.0.0.0` (`make room`) says which address students type (tools/ports.py).
    if os.environ.get("ROOM_NOTE"):
        print(os.environ["ROOM_NOTE"], flush=True)
