"""Fixtures for the end-to-end suite: the real app, a real browser, fresh users.

`server` starts the app the way `make run` does (granian serving the built SPA and the API from
one origin) against a throwaway SQLite database. `start_server` starts more of those with other
settings (e.g. ACCESS_TOKEN_TTL=3, to watch tokens expire). `dev_proxy` starts what `make dev`
does: the Vite dev server passing /api on to the API. `cross_origin` has the SPA on the Vite dev
server call an API on another port, so CORS is exercised for real. pytest-playwright then gives
each test a fresh browser context (empty localStorage).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import CODESPACES_DOMAIN, ConsoleWatch, CrossOrigin, User, sign_up
from playwright.sync_api import Browser, BrowserContext, Page

from tools.browser import launch_options
from tools.servers import (
    Process,
    ServerDidNotStart,
    free_port,
    start,
    start_classroom,
    wait_until_up,
)

E2E_DIR = Path(__file__).resolve().parent
FRONTEND_DIR = E2E_DIR.parent / "frontend"

# Generous, because a cold Vite start on 2 cores takes a while; a server that never answers
# still fails with its own output instead of hanging the suite.
STARTUP_TIMEOUT_S = 60


def pytest_configure(config: pytest.Config) -> None:
    """Keep failure artifacts in e2e/artifacts/ even when pytest is started from the repo root."""
    output = Path(config.getoption("--output"))
    if not output.is_absolute():
        config.option.output = str(E2E_DIR / output)


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_name: str) -> dict:
    """pytest-playwright's launch options (--headed, --slowmo...) plus our Chromium choice."""
    args = dict(browser_type_launch_args)
    if browser_name == "chromium":
        chosen = launch_options()
        if "executable_path" in chosen:
            args["executable_path"] = chosen["executable_path"]
        args["args"] = [*args.get("args", []), *chosen["args"]]
    return args


# --- the browser console: a Content-Security-Policy violation fails the test ---------------


@pytest.fixture
def console_watch() -> ConsoleWatch:
    """The console of this test's pages (a test that provokes a violation clears the list)."""
    return ConsoleWatch(messages=[], csp_violations=[])


@pytest.fixture
def context(context: BrowserContext, console_watch: ConsoleWatch) -> Iterator[BrowserContext]:
    """pytest-playwright's context, with every page's console watched.

    The app runs under a strict CSP (backend/app/security_headers.py); if the SPA ever needs
    something the policy forbids (an inline script or style, a call to another origin), the
    browser refuses it and says so in the console. That must fail the suite, not go unseen.
    """
    context.on("page", console_watch.watch)
    # The event also reports violations that leave no console line (e.g. in report-only mode).
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    yield context
    if console_watch.csp_violations:
        pytest.fail(
            "Content-Security-Policy violations in the browser console:\n"
            + "\n".join(console_watch.csp_violations),
            pytrace=False,
        )


# --- starting and stopping processes ---------------------------------------------------------


def _start_api(tmp_dir: Path, port: int, **settings: str) -> Process:
    """JWT Classroom on `port` (tools/servers.py), with the suite's relaxed rate limits."""
    # One session-wide server signs up a user per test, all from 127.0.0.1: the classroom
    # limits (backend/tests/test_rate_limits.py proves them) would trip a long suite.
    relaxed = {
        "RATELIMIT_SIGNUP_PER_ADDRESS": "10000/hour",
        "RATELIMIT_LOGIN_PER_USERNAME": "10000/minute",
        "RATELIMIT_LOGIN_PER_ADDRESS": "10000/minute",
    }
    try:
        return start_classroom(tmp_dir, port, **{**relaxed, **settings})
    except ServerDidNotStart as error:
        pytest.fail(str(error), pytrace=False)


# --- the app under test ----------------------------------------------------------------------


def _require_built_spa() -> None:
    if not (FRONTEND_DIR / "dist" / "index.html").exists():
        pytest.fail(
            "frontend/dist is missing: build the SPA first (`make test-e2e` does).", pytrace=False
        )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app as `make run` serves it (built SPA + API, one origin); yields its base URL."""
    _require_built_spa()
    port = free_port()
    api = _start_api(tmp_path_factory.mktemp("server"), port)
    yield f"http://127.0.0.1:{port}"
    api.stop()


@pytest.fixture(scope="module")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """start(**settings) -> base URL of another `server`, with these environment settings.

    For a test module that needs the app configured differently, e.g.
    `start_server(ACCESS_TOKEN_TTL="3")`. Each gets its own database; all of them stop when the
    module is done, so the other modules keep sharing the one default `server`.
    """
    started: list[Process] = []

    def start_another(**settings: str) -> str:
        _require_built_spa()
        port = free_port()
        started.append(_start_api(tmp_path_factory.mktemp("server"), port, **settings))
        return f"http://127.0.0.1:{port}"

    yield start_another
    for api in started:
        api.stop()


@pytest.fixture(scope="session")
def base_url(server: str) -> str:
    """pytest-playwright's base URL, so tests can say page.goto("/login")."""
    return server


def _start_vite(tmp_dir: Path, port: int, **settings: str) -> Process:
    """The Vite dev server on `port` (as `make dev` runs it), with these environment settings."""
    vite = FRONTEND_DIR / "node_modules" / ".bin" / "vite"
    if not vite.exists():
        pytest.fail(
            "frontend/node_modules is missing: run `npm ci` in frontend/ first.", pytrace=False
        )
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH: the Vite dev server needs Node 20.19+.", pytrace=False)
    # The local vite binary rather than `npx vite`: npx would try to download a missing package.
    return start(
        "the Vite dev server",
        [str(vite), "--port", str(port), "--strictPort", "--host", "127.0.0.1"],
        cwd=FRONTEND_DIR,
        env={**os.environ, "NO_COLOR": "1", **settings},
        log=tmp_dir / "vite.log",
    )


@pytest.fixture(scope="session")
def cross_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrossOrigin]:
    """A second API server and the Vite dev server on another port that calls it via CORS."""
    tmp_dir = tmp_path_factory.mktemp("cross_origin")
    with _api_and_vite(
        tmp_dir,
        api_settings=lambda spa_url, api_url: {"CORS_ORIGINS": spa_url},
        vite_settings=lambda spa_url, api_url: {"VITE_API_URL": api_url, "API_PROXY": ""},
        ready_path="/",
    ) as servers:
        yield servers


@pytest.fixture(scope="session")
def dev_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrossOrigin]:
    """What `make dev` starts: the Vite dev server, passing /api on to an API on another port.

    The API allows no origin at all (CORS_ORIGINS empty): the browser only talks to Vite. The
    Codespaces variable is set as in a codespace, so its forwarded host names are accepted.
    """
    tmp_dir = tmp_path_factory.mktemp("dev_proxy")
    with _api_and_vite(
        tmp_dir,
        api_settings=lambda spa_url, api_url: {"CORS_ORIGINS": ""},
        vite_settings=lambda spa_url, api_url: {
            "VITE_API_URL": "",
            "API_PROXY": api_url,
            "GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN": CODESPACES_DOMAIN,
        },
        ready_path="/api/health",
    ) as servers:
        yield servers


@contextmanager
def _api_and_vite(
    tmp_dir: Path,
    *,
    api_settings: Callable[[str, str], dict[str, str]],
    vite_settings: Callable[[str, str], dict[str, str]],
    ready_path: str,
) -> Iterator[CrossOrigin]:
    """An API and a Vite dev server on two free ports, each set up from (spa_url, api_url)."""
    api_port, vite_port = free_port(), free_port()
    spa_url = f"http://127.0.0.1:{vite_port}"
    api_url = f"http://127.0.0.1:{api_port}"
    api = _start_api(tmp_dir, api_port, **api_settings(spa_url, api_url))
    try:
        dev_server = _start_vite(tmp_dir, vite_port, **vite_settings(spa_url, api_url))
    except BaseException:
        api.stop()
        raise
    try:
        wait_until_up(dev_server, spa_url + ready_path, timeout=STARTUP_TIMEOUT_S)
        yield CrossOrigin(spa_url=spa_url, api_url=api_url)
    finally:
        dev_server.stop()
        api.stop()


# --- people ----------------------------------------------------------------------------------


@pytest.fixture
def open_browser(browser: Browser, room: str) -> Iterator[Callable[[], Page]]:
    """open() -> a page in a browser context of its own (its own storage and cookies), on the
    requesting module's own `room` server: several people in one class, each in their browser."""
    contexts: list[BrowserContext] = []

    def open_page() -> Page:
        context = browser.new_context(base_url=room)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def user(server: str) -> User:
    """A brand-new account that only this test uses (signed up through the API)."""
    return sign_up(server)
