"""Which Chromium the Playwright runs use (e2e/ and grader/), and how it is started.

Playwright cannot download its own browser everywhere (a closed network, a distribution's
Chromium instead), so the executable is chosen here, in one place: `CHROMIUM_PATH`, else
Debian's `/usr/bin/chromium`, else Playwright's own build (`python -m playwright install
chromium`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Running as root without a GPU or network: without the network flags Debian's Chromium stalls
# on refused connections to Google services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


SYSTEM_CHROMIUM = "/usr/bin/chromium"

# What to type when there is no browser: Playwright's own build, for the venv's Playwright.
INSTALL_COMMAND = "backend/.venv/bin/python -m playwright install chromium"


def chromium_executable() -> str | None:
    """CHROMIUM_PATH, else Debian's chromium, else None (Playwright's own downloaded build)."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    return SYSTEM_CHROMIUM if Path(SYSTEM_CHROMIUM).exists() else None


def launch_options() -> dict:
    """Keyword arguments for Playwright's `chromium.launch()`."""
    options: dict = {"args": list(CHROMIUM_ARGS)}
    executable = chromium_executable()
    if executable:
        options["executable_path"] = executable
    return options


def playwright_chromium_installed() -> bool:
    """Whether Playwright's own Chromium build has been downloaded for this Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return Path(playwright.chromium.executable_path).exists()


def ensure_chromium() -> str | None:
    """None when a Chromium is there (installing Playwright's if none is); else what to do.

    A CHROMIUM_PATH that does not exist is a mistake to report, not a reason to download.
    """
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        if Path(explicit).exists():
            return None
        return f"CHROMIUM_PATH={explicit} does not exist: point it at a Chromium, or unset it"
    if chromium_executable() or playwright_chromium_installed():
        return None
    print("No Chromium found for the end-to-end tests: installing Playwright's own...", flush=True)
    install = [sys.executable, "-m", "playwright", "install", "chromium"]
    if subprocess.run(install, check=False).returncode == 0:  # noqa: S603 (a fixed command)
        return None
    return (
        "No Chromium for the end-to-end tests, and Playwright could not download one: run "
        f"`{INSTALL_COMMAND}` where the network allows, or install Chromium and set CHROMIUM_PATH"
    )


def main() -> int:
    """`python -m tools.browser`: 0 when there is a Chromium, else 1 and what to do."""
    problem = ensure_chromium()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
