"""Build a Vite app of the corpus as its student would: `vite build` with the API's address in .env.

The app is copied to a folder of its own, with node_modules linked to the repository's
frontend/node_modules (react, react-dom, react-router, vite, @vitejs/plugin-react are there).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .serve import CORPUS, app_info

FRONTEND_MODULES = CORPUS.parents[2] / "frontend" / "node_modules"
IGNORED = shutil.ignore_patterns("*.py", "__pycache__", "app.json", "expected.json")


def build(name: str, api_url: str, work: Path) -> Path:
    """Build app `name` in `work` with its API at `api_url`; return the folder of the built page."""
    source = work / name
    shutil.copytree(CORPUS / name, source, ignore=IGNORED)
    (source / "node_modules").symlink_to(FRONTEND_MODULES)
    (source / ".env").write_text(f"{app_info(name)['vite_env']}={api_url}\n")
    done = subprocess.run(
        [
            str(FRONTEND_MODULES / ".bin" / "vite"),
            "build",
            "--outDir",
            "dist",
            "--logLevel",
            "warn",
            # Node loads the config itself: no bundled copy written into the shared node_modules.
            "--configLoader",
            "native",
        ],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"vite build of {name} failed:\n{done.stdout}{done.stderr}")
    return source / "dist"
