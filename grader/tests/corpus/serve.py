"""Serve one app of the corpus: its API and its page, each on its own port, in one process.

    python -m grader.tests.corpus.serve NAME --api-port 5401 --page-port 5402 --data DIR \\
        [--page-dir DIR]

NAME is a folder beside this file. Its app.json says where the student's Flask app is, how its
page is served and which accounts to create (through the app's own sign-up route). The API gets
the environment a student's .env would give it: FRONTEND_URL (the page's origin, for CORS),
DATABASE_URL (SQLite in DIR), a fresh random JWT_SECRET_KEY and FLASK_APP_KEY, then app.json's
"env" on top. A plain page folder gets /config.js with the API's address, the file a student
edits by hand; a Vite app is built beforehand (build.py) and served from --page-dir.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import secrets
import sys
import threading
from pathlib import Path

from flask import Flask, Response, abort, send_from_directory
from werkzeug.serving import make_server

CORPUS = Path(__file__).resolve().parent


def app_info(name: str) -> dict:
    """The app's app.json."""
    return json.loads((CORPUS / name / "app.json").read_text())


def load_api(name: str, info: dict) -> Flask:
    """Import the student's Flask app as `flask run` would: its folder on sys.path."""
    path = CORPUS / name / info["api"]
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # so Flask finds the app's folder (static files)
    spec.loader.exec_module(module)
    return module.app


def create_accounts(api: Flask, info: dict) -> None:
    """Sign each account up through the app's own route, as the student would by hand."""
    client = api.test_client()
    for body in info["signup"]["bodies"]:
        answer = client.post(info["signup"]["path"], json=body)
        if answer.status_code >= 300:
            raise SystemExit(f"sign-up of {body} answered {answer.status_code}: {answer.text}")


def page_app(folder: Path, api_url: str, spa: bool) -> Flask:
    """Static files of `folder`; with `spa`, any other path gets index.html."""
    app = Flask(__name__, static_folder=None)

    @app.get("/config.js")
    def config_js() -> Response:
        """Where the API is: the one line a student edits before running the page."""
        return Response(f'const API_URL = "{api_url}";\n', mimetype="text/javascript")

    @app.get("/", defaults={"path": "index.html"})
    @app.get("/<path:path>")
    def page(path: str) -> Response:
        """A file of the page, else index.html for a single-page app."""
        if (folder / path).is_file():
            return send_from_directory(folder, path)
        if spa:
            return send_from_directory(folder, "index.html")
        abort(404)

    return app


def main() -> None:
    parse = argparse.ArgumentParser(description=__doc__)
    parse.add_argument("name")
    parse.add_argument("--api-port", type=int, required=True)
    parse.add_argument("--page-port", type=int, required=True)
    parse.add_argument("--data", type=Path, required=True, help="a folder for the database")
    parse.add_argument("--page-dir", type=Path, help="the built page (Vite apps)")
    args = parse.parse_args()

    info = app_info(args.name)
    api_url = f"http://127.0.0.1:{args.api_port}"
    os.environ.update(
        {
            "FRONTEND_URL": f"http://127.0.0.1:{args.page_port}",
            "DATABASE_URL": f"sqlite:///{args.data.resolve() / 'app.db'}",
            "JWT_SECRET_KEY": secrets.token_urlsafe(32),
            "FLASK_APP_KEY": secrets.token_urlsafe(32),
            **info.get("env", {}),
        }
    )
    api = load_api(args.name, info)
    create_accounts(api, info)
    api_server = make_server("127.0.0.1", args.api_port, api, threaded=True)
    if info["page"] == "same-origin":
        api_server.serve_forever()
        return
    folder = args.page_dir or CORPUS / args.name / info["page"]
    page = page_app(folder, api_url, spa=info.get("spa", False))
    page_server = make_server("127.0.0.1", args.page_port, page, threaded=True)
    threading.Thread(target=api_server.serve_forever, daemon=True).start()
    page_server.serve_forever()


if __name__ == "__main__":
    main()
