"""What a measurement is, for `python -m bench`: the place a new one plugs in.

A measurement is a module of this package that defines MEASUREMENT: its name for `--only`, its
key in results.json, a `measure` function that takes the run's Context and returns its figures
(a dict, written to results.json as is), and a `rows` function that turns those figures into
rows of the report's table (`| what | measured | budget |`). bench/__main__.py lists the
measurements in the order of the table; adding one is a module and a line there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.harness import Server


@dataclass
class Context:
    """The run's choices (the command line's options), and the server measurements share."""

    db: str  # "sqlite" or "postgres"
    rounds: int
    seconds: int  # wrk's duration per run
    login_samples: int
    hash_threads: int | None  # the classroom burst's PASSWORD_HASH_THREADS (None: the app's)
    nginx: bool
    suites: bool  # also time `make test`
    alone: bool  # run with --only: this measurement alone, with the rounds asked for
    previous: dict[str, Any] | None  # the last full run's results.json
    server: Server | None = None  # the production-shape server, for shared_server measurements


@dataclass(frozen=True)
class Measurement:
    """One measurement: how to run it and how it reads in the report."""

    key: str  # its figures' key in results.json
    title: str  # printed when it starts
    measure: Callable[[Context], dict[str, Any] | None]  # None: nothing measured, nothing kept
    rows: Callable[[dict[str, Any] | None], list[str]]  # table rows (None: it was not run)
    option: str | None = None  # its name for --only (None: only in a full run)
    # Runs on the production-shape server the bench starts once (Context.server); the others
    # start what they need themselves, or need no server.
    shared_server: bool = False
    # Runs before every other measurement, whatever its place in the table.
    first: bool = False
