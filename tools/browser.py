"""Which Chromium the Playwright runs use (e2e/ and grader/), and how it is started.

Playwright cannot download its own browser everywhere (a closed network, a distribution's
Chromium instead), so the executable is chosen here, in one place: `CHROMIUM_PATH`, else
Debian's `/usr/bin/chromium`, else Playwright's own build (`python -m playwright install
chromium`).
"""

from __future__ import annotations

import os
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


def chromium_executable() -> str | None:
    """CHROMIUM_PATH, else Debian's chromium, else None (Playwright's own downloaded build)."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def launch_options() -> dict:
    """Keyword arguments for Playwright's `chromium.launch()`."""
    options: dict = {"args": list(CHROMIUM_ARGS)}
    executable = chromium_executable()
    if executable:
        options["executable_path"] = executable
    return options
