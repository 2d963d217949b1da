"""gunicorn settings, used by `make run` (gunicorn -c gunicorn.conf.py "app:create_app()").

Flask's built-in server (`flask run`) is for development only; gunicorn is a real WSGI server.
"""

import os

from gunicorn.arbiter import Arbiter

from app.config import is_truthy
from app.demo import DEMO_ACCOUNTS

# Processes x threads. One process keeps `make run` light; each thread serves one request.
# Several processes need shared state (RATELIMIT_STORAGE_URI=redis://..., a later issue).
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '5000')}")

accesslog = "-"  # one line per request on stdout: students can watch their requests arrive
errorlog = "-"
timeout = 30
graceful_timeout = 10  # Ctrl-C lets running requests finish, but not for long

# gunicorn 25+ opens a control socket at one fixed path per user; two servers (make run while
# the e2e suite runs) would fight over it, and nothing here uses it.
control_socket_disable = True


def when_ready(server: Arbiter) -> None:
    """Say where the app is, once it is listening (and the demo logins in demo mode)."""
    for address in server.cfg.bind:
        print(f"JWT Classroom is running on http://{address}", flush=True)
    if is_truthy(os.environ.get("DEMO_MODE")):
        logins = ", ".join(f"{a['username']} / {a['password']}" for a in DEMO_ACCOUNTS)
        print(f"Demo mode: log in with {logins}", flush=True)
