"""Serve the built React app (frontend/dist) from Flask, so `make run` is one process.

Any GET outside /api that matches no Flask route comes here (see `errors.py`): an existing file
(a script, a stylesheet) is sent as is; anything else gets index.html and React Router decides.
"""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, send_from_directory
from werkzeug.security import safe_join

NOT_BUILT = "The SPA is not built: run `make run` (or `cd frontend && npm run build`).\n"
# Vite puts content-hashed files under assets/: a changed file gets a new name, so they can be
# cached for a year; index.html must always be re-checked to pick up new names.
ONE_YEAR = 365 * 24 * 3600


def spa_response(path: str) -> Response:
    """Return the file at `path` inside SPA_DIST if it exists, else index.html."""
    dist = Path(current_app.config["SPA_DIST"])
    if not (dist / "index.html").is_file():
        return Response(NOT_BUILT, status=503, mimetype="text/plain")
    # safe_join refuses "../" tricks, so only files inside dist can be sent.
    target = safe_join(str(dist), path) if path else None
    if target and Path(target).is_file():
        max_age = ONE_YEAR if path.startswith("assets/") else 0
        return send_from_directory(dist, path, max_age=max_age)
    response = send_from_directory(dist, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
