"""Serve a test app for the grader: its API on one port and its page on another.

    python -m grader.tests.apps.serve lesson --api-port 5301 --page-port 5302 \\
        --username student --password pass1234 [--flaws int_sub,no_guard]

Two origins, as in the lesson's set-up (React on :3000, Flask on :3001), so CORS is real. The page
server answers every path with the app's index.html (a single-page app), serves its scripts, and
writes /config.js with the API's address and the flaws.
"""

from __future__ import annotations

import argparse
import json
import threading
from pathlib import Path

from flask import Flask, Response, send_from_directory
from werkzeug.serving import make_server

from .lesson.api import create_app as lesson_api
from .student.api import API_FLAWS
from .student.api import create_app as student_api

HERE = Path(__file__).resolve().parent


def page_app(folder: Path, config: dict) -> Flask:
    """A static page server for `folder`, with /config.js made from `config`."""
    app = Flask(__name__, static_folder=None)

    @app.get("/config.js")
    def config_js() -> Response:
        """The settings the page's scripts read."""
        body = f"window.GRADER_TEST_APP = {json.dumps(config)};"
        return Response(body, mimetype="text/javascript")

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def page(path: str) -> Response:
        """A script of the page, else index.html (the page routes itself)."""
        if path.endswith(".js") and (folder / path).is_file():
            return send_from_directory(folder, path, mimetype="text/javascript")
        return send_from_directory(folder, "index.html")

    return app


def main() -> None:
    parse = argparse.ArgumentParser(description=__doc__)
    parse.add_argument("app", choices=["lesson", "student"])
    parse.add_argument("--api-port", type=int, required=True)
    parse.add_argument("--page-port", type=int, required=True)
    parse.add_argument("--username", required=True)
    parse.add_argument("--password", required=True)
    parse.add_argument("--flaws", default="", help="comma-separated (student app only)")
    args = parse.parse_args()

    flaws = {flaw for flaw in args.flaws.split(",") if flaw}
    api_url = f"http://127.0.0.1:{args.api_port}"
    page_origin = f"http://127.0.0.1:{args.page_port}"
    if args.app == "lesson":
        api = lesson_api(args.username, args.password)
        page = page_app(HERE / "lesson" / "page", {"api": api_url})
    else:
        unknown = flaws - API_FLAWS.keys() - PAGE_FLAWS
        if unknown:
            parse.error(f"unknown flaws: {', '.join(sorted(unknown))}")
        api = student_api(args.username, args.password, flaws, page_origin)
        renamed = "renamed" in flaws
        config = {
            "api": api_url,
            "flaws": sorted(flaws),
            "tokenPath": "/login" if renamed else "/token",
            "protectedPath": "/me" if renamed else "/protected",
            "field": "access_token" if renamed else "token",
        }
        page = page_app(HERE / "student" / "page", config)

    api_server = make_server("127.0.0.1", args.api_port, api, threaded=True)
    page_server = make_server("127.0.0.1", args.page_port, page, threaded=True)
    threading.Thread(target=api_server.serve_forever, daemon=True).start()
    page_server.serve_forever()


PAGE_FLAWS = {
    "cookie_token",
    "no_login_form",
    "silent_error",
    "no_store",
    "session_storage",
    "no_bearer",
    "no_user_shown",
    "logout_keeps_token",
    "no_guard",
    "sends_email",
}

if __name__ == "__main__":
    main()
