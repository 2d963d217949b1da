"""Set-up before grading: do API and APP answer at the addresses given?

A wrong port, `localhost` against `127.0.0.1` or an app that is not running is a set-up problem,
not a mistake in the student's code: it is found first and named as set-up, and no check runs.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import requests

from .checks import SetupProblem
from .target import Deadline, DeadlinePassed, RateLimited, send

TIMEOUT_S = 5
LOOPBACK_TWINS = {"localhost": "127.0.0.1", "127.0.0.1": "localhost"}


def answers(url: str) -> str:
    """ "" when something answers HTTP at `url` (any status) within TIMEOUT_S, else why not."""
    try:
        send("GET", url, deadline=Deadline(TIMEOUT_S))
    except RateLimited:
        return ""
    except (requests.Timeout, DeadlinePassed):
        return "no answer in time"
    except requests.ConnectionError:
        return "no connection"
    except requests.RequestException:
        return "no HTTP answer"
    return ""


def twin(url: str) -> str | None:
    """The same URL with `localhost` and `127.0.0.1` swapped, or None for other hosts."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host not in LOOPBACK_TWINS:
        return None
    netloc = LOOPBACK_TWINS[host] + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def problem(name: str, url: str) -> SetupProblem | None:
    """Why `url` (API or APP) cannot be graded, with what to change; None when it answers."""
    why = answers(url)
    if not why:
        return None
    other = twin(url)
    if other and not answers(other):
        return SetupProblem(
            f"{name} {url} does not answer ({why}), but {other} does.",
            f"Grade with {name}={other}: `localhost` may reach another address (IPv6 ::1) "
            "than the one the server listens on.",
        )
    return SetupProblem(
        f"{name} {url} does not answer ({why}).",
        f"Start it, or pass {name}= with the address its server prints when it starts "
        "(the port included).",
    )


def problems(api: str, app: str | None) -> list[SetupProblem]:
    """The set-up problems of API and APP (APP only when the browser checks run)."""
    found = [problem("API", api)]
    if app:
        found.append(problem("APP", app))
    return [p for p in found if p is not None]
