"""Serve a hostile "student app": the student test app, done right, with one attack switched on.

    python -m grader.tests.hostile.serve drip --api-port 5301 --page-port 5302 \\
        --outside-port 5309 --username student --password pass1234

The grader runs unchecked code on a teacher's machine; each behaviour below is one way that
code could try to reach another host, hang the grader, swell it, garble its report or crash it.
`--outside-port` is a port the test listens on, which nothing may reach.
"""

from __future__ import annotations

import argparse
import json
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import jwt as pyjwt
from flask import Flask, Response, request, send_from_directory
from werkzeug.serving import make_server

from ..apps.student.api import create_app as student_api

HERE = Path(__file__).resolve().parent
STUDENT_PAGE = HERE.parent / "apps" / "student" / "page"
MIB = 1024 * 1024

# Terminal escapes a report must never print raw: a window title, the clipboard (OSC 52), a line
# erased and overwritten by carriage return, a forged PASS, colours, a right-to-left override.
ESCAPES = (
    "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2K\r\x1b[32mPASS\x1b[0m all checks "
    "\u202edrowssap\u202c"
)

BEHAVIOURS = {
    # reaching other hosts (the page's side)
    "redirect_page": "every page of APP answers 302 to the outside port",
    "redirect_assets": "the login page loads an image and fetches a URL that 302 to outside",
    "websocket": "the page opens a WebSocket to the outside port",
    "webrtc": "the page asks a STUN server on the outside port for its address (UDP)",
    # hanging or swelling the grader
    "drip": "every login answer sends one byte every 2 s, for ever",
    "drip_head": "every API answer's head comes one byte every 2 s, for ever",
    "huge": "every login answer is 200 MB",
    "huge_jwks": "/.well-known/jwks.json answers 200 MB",
    "loop": "the page's script loops for ever",
    "alert_flood": "the page calls alert() for ever",
    # garbling the report
    "escapes": "terminal escapes in an alert, the API's messages and a body",
    # odd answers
    "deep_json": "the login answers JSON nested 50,000 deep",
    "array_header": "the token's header is a JSON array",
    "infinity_exp": 'the token says "exp": Infinity',
}


def drip_forever(prefix: bytes) -> Iterator[bytes]:
    """`prefix`, then one byte every 2 s until the client hangs up."""
    yield prefix
    while True:
        time.sleep(2)
        yield b" "


def two_hundred_mb() -> Iterator[bytes]:
    """A 200 MB body made of one reused 1 MiB chunk (the server itself stays small)."""
    chunk = b" " * MIB
    yield b'{"token": "'
    for _ in range(200):
        yield chunk


class DrippingHead(socketserver.BaseRequestHandler):
    """Read a request, then answer a head that never ends: one byte every 2 s."""

    def handle(self) -> None:
        self.request.recv(65536)
        try:
            self.request.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while True:
                time.sleep(2)
                self.request.sendall(b"x")
        except OSError:
            return  # the grader hung up


def odd_token(behaviour: str, key: str, sub: str) -> str:
    """A token signed with the app's key whose header or payload is odd in the way asked."""
    if behaviour == "array_header":
        header = pyjwt.utils.base64url_encode(b'["HS256", "JWT"]').decode()
        payload = pyjwt.utils.base64url_encode(json.dumps({"sub": sub}).encode()).decode()
        return f"{header}.{payload}.c2lnbmF0dXJl"
    # Python's json writes float("inf") as Infinity, which its reader (and the grader's) accept.
    claims = {"sub": sub, "iat": int(time.time()), "exp": float("inf")}
    return pyjwt.encode(claims, key, algorithm="HS256")


def hostile_api(behaviour: str, username: str, password: str, page_origin: str) -> Flask:
    """The student app's API, its login or messages made hostile for `behaviour`."""
    api = student_api(username, password, set(), page_origin)

    @api.before_request
    def attack() -> Response | None:
        """Answer the login (or the key set) in the behaviour's way before the real route does."""
        if behaviour == "huge_jwks" and request.path == "/.well-known/jwks.json":
            length = str(len(b'{"token": "') + 200 * MIB)
            return Response(
                two_hundred_mb(), mimetype="application/json", headers={"Content-Length": length}
            )
        if request.method != "POST" or request.path != "/token":
            return None
        if behaviour == "drip":
            body = drip_forever(b'{"token": "')
            return Response(body, mimetype="application/json", headers={"Content-Length": "9999"})
        if behaviour == "huge":
            length = str(len(b'{"token": "') + 200 * MIB)
            return Response(
                two_hundred_mb(), mimetype="application/json", headers={"Content-Length": length}
            )
        if behaviour == "deep_json":
            return Response("[" * 50_000 + "]" * 50_000, mimetype="application/json")
        return None

    @api.after_request
    def disguise(response: Response) -> Response:
        """Make the real route's answers odd: the token, or the messages."""
        if behaviour in ("array_header", "infinity_exp") and request.path == "/token":
            body = response.get_json(silent=True) or {}
            if response.status_code == 200 and "token" in body:
                sub = str(pyjwt.decode(body["token"], options={"verify_signature": False})["sub"])
                body["token"] = odd_token(behaviour, api.config["JWT_SECRET_KEY"], sub)
                response.set_data(json.dumps(body))
        if behaviour == "escapes" and response.status_code >= 400:
            if request.path == "/token":
                response.set_data(json.dumps({"msg": ESCAPES}))
            else:
                response.set_data(ESCAPES + " (not JSON)")
                response.mimetype = "text/plain"
        return response

    return api


def hostile_page(behaviour: str, config: dict, outside: str) -> Flask:
    """The student app's page, with hostile.js run first and routes that redirect outside."""
    app = Flask(__name__, static_folder=None)

    @app.get("/config.js")
    def config_js() -> Response:
        """The settings the page's scripts read, the behaviour among them."""
        body = f"window.GRADER_TEST_APP = {json.dumps(config)};"
        return Response(body, mimetype="text/javascript")

    @app.get("/pixel.png")
    @app.get("/fetch-away")
    def away() -> Response:
        """A redirect to the outside port: the browser must not follow it there."""
        return Response(status=302, headers={"Location": f"{outside}{request.path}"})

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def page(path: str) -> Response:
        """hostile.js, the student's app.js, else the page (or a redirect away from it)."""
        if path == "hostile.js":
            return send_from_directory(HERE, "hostile.js", mimetype="text/javascript")
        if path == "app.js":
            return send_from_directory(STUDENT_PAGE, "app.js", mimetype="text/javascript")
        if behaviour == "redirect_page":
            return Response(status=302, headers={"Location": f"{outside}/landing"})
        return send_from_directory(HERE, "index.html")

    return app


def main() -> None:
    parse = argparse.ArgumentParser(description=__doc__)
    parse.add_argument("behaviour", choices=sorted(BEHAVIOURS))
    parse.add_argument("--api-port", type=int, required=True)
    parse.add_argument("--page-port", type=int, required=True)
    parse.add_argument("--outside-port", type=int, required=True)
    parse.add_argument("--username", required=True)
    parse.add_argument("--password", required=True)
    args = parse.parse_args()

    api_url = f"http://127.0.0.1:{args.api_port}"
    page_origin = f"http://127.0.0.1:{args.page_port}"
    config = {
        "api": api_url,
        "flaws": [],
        "tokenPath": "/token",
        "protectedPath": "/protected",
        "field": "token",
        "behaviour": args.behaviour,
        "outsidePort": args.outside_port,
        "escapes": ESCAPES,
    }
    api = hostile_api(args.behaviour, args.username, args.password, page_origin)
    page = hostile_page(args.behaviour, config, f"http://127.0.0.1:{args.outside_port}")
    if args.behaviour == "drip_head":
        api_server = socketserver.ThreadingTCPServer(("127.0.0.1", args.api_port), DrippingHead)
        api_server.daemon_threads = True
    else:
        api_server = make_server("127.0.0.1", args.api_port, api, threaded=True)
    page_server = make_server("127.0.0.1", args.page_port, page, threaded=True)
    threading.Thread(target=api_server.serve_forever, daemon=True).start()
    page_server.serve_forever()


if __name__ == "__main__":
    main()
