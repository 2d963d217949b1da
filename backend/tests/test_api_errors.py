"""Requests the API cannot use get a JSON {"msg"} error, never an HTML page."""

import json
import socket

import pytest
from flask import Blueprint
from helpers import serving


@pytest.mark.parametrize("path", ["/api/token", "/api/signup"])
@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({}, "no body"),
        ({"data": "not json", "content_type": "application/json"}, "invalid JSON"),
        ({"data": '{"username": "a"', "content_type": "application/json"}, "truncated JSON"),
        ({"json": ["alice", "pw"]}, "a JSON array"),
        ({"json": "alice"}, "a JSON string"),
        ({"json": None}, "JSON null"),
        (
            {
                "data": '{"username": "alice", "password": "correct horse"}',
                "content_type": "text/plain",
            },
            "JSON sent as text/plain",
        ),
        ({"data": {"username": "alice", "password": "pw"}}, "a form post"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(client, path, kwargs, why):
    response = client.post(path, **kwargs)
    assert response.status_code == 400, why
    assert response.get_json() == {
        "msg": "Request body must be a JSON object",
        "error": "body_not_json",
    }


def test_a_body_over_16_kib_is_413(client):
    response = client.post("/api/token", json={"username": "alice", "password": "x" * (20 * 1024)})
    assert response.status_code == 413
    assert response.is_json
    assert "msg" in response.get_json()
    assert response.get_json()["error"] == "body_too_large"


def test_a_body_just_under_the_limit_is_read(client):
    response = client.post("/api/token", json={"username": "alice", "password": "x" * 1000})
    assert response.status_code == 401


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_path_is_json_404(client, method):
    response = getattr(client, method)("/api/nope")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["msg"].startswith("The requested URL was not found")
    assert response.get_json()["error"] == "not_found"


def test_wrong_method_is_json_405_with_allow(client):
    response = client.get("/api/token")
    assert response.status_code == 405
    assert response.get_json() == {
        "msg": "The method is not allowed for the requested URL.",
        "error": "method_not_allowed",
    }
    assert "POST" in response.headers["Allow"]
    assert response.headers["Content-Type"] == "application/json"


@pytest.fixture
def crashing_app(make_app):
    """An app with one route that raises, as a bug would; exceptions are not propagated."""
    app = make_app(schema=None, PROPAGATE_EXCEPTIONS=False)
    bp = Blueprint("crash", __name__)

    @bp.get("/crash")
    def crash():
        raise RuntimeError("secret internal detail")

    app.register_blueprint(bp, url_prefix="/api")
    return app


def test_a_crash_is_json_500_without_internals(crashing_app, caplog):
    response = crashing_app.test_client().get("/api/crash")

    assert response.status_code == 500
    assert response.get_json() == {"msg": "Internal server error", "error": "internal_error"}
    assert "secret internal detail" not in response.get_data(as_text=True)
    # ...but the traceback is in the log, where the developer looks.
    assert "secret internal detail" in caplog.text


NESTED_1000 = '{"username": ' + "[" * 1000 + "]" * 1000 + "}"
ARRAYS_1000 = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize("body", [NESTED_1000, ARRAYS_1000], ids=["in a field", "whole body"])
@pytest.mark.parametrize("path", ["/api/token", "/api/signup", "/api/password"])
def test_deeply_nested_json_is_a_400_not_a_crash(client, logged_in, path, body):
    """1,000 levels of nesting (2 KB) is more than the JSON parser's recursion allows."""
    headers = logged_in().headers if path == "/api/password" else {}
    response = client.post(path, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Request body must be a JSON object",
        "error": "body_not_json",
    }


GOOD_LOGIN = '{"username": "alice", "password": "correct horse"}'


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/vnd.api+json", GOOD_LOGIN.encode()),
        ("application/merge-patch+json", GOOD_LOGIN.encode()),
        ("application/json; charset=utf-16", GOOD_LOGIN.encode("utf-16")),
        ("application/json; charset=latin-1", GOOD_LOGIN.encode()),
        ("application/json", GOOD_LOGIN.encode("utf-16")),  # UTF-16 bytes without saying so
        ("application/json", GOOD_LOGIN.encode("utf-32")),
    ],
)
def test_only_utf8_application_json_is_read(client, auth, content_type, data):
    """The README's rule: any other type, or any encoding but UTF-8, is 400."""
    auth.signup("alice", "correct horse")
    response = client.post("/api/token", data=data, content_type=content_type)
    assert response.status_code == 400
    assert response.get_json() == {
        "msg": "Request body must be a JSON object",
        "error": "body_not_json",
    }


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=UTF-8"])
def test_utf8_application_json_is_read(client, auth, content_type):
    auth.signup("alice", "correct horse")
    response = client.post("/api/token", data=GOOD_LOGIN, content_type=content_type)
    assert response.status_code == 200


# --- Bodies the client framed badly: whatever the WSGI server raises, a JSON 400 -----------------

MALFORMED = {
    "msg": "The request body is malformed: its length or its chunked framing is broken",
    "error": "body_malformed",
}


class ServersOwnParseError(Exception):
    """Stands for a server's own exception class (gunicorn's InvalidChunkSize is no OSError)."""


class BrokenBody:
    """A `wsgi.input` that fails the way a server's does when the body's framing is broken."""

    def __init__(self, error):
        self.error = error

    def read(self, *_args):
        raise self.error

    readline = read


@pytest.mark.parametrize(
    "error",
    [
        OSError("Invalid chunk header"),  # werkzeug's development server
        ServersOwnParseError("Invalid chunk size: 'zz'"),
        ValueError("invalid literal for int() with base 16"),
    ],
    ids=["oserror", "servers-own-class", "valueerror"],
)
@pytest.mark.parametrize("path", ["/api/token", "/api/signup", "/api/password"])
def test_a_body_the_server_cannot_read_is_400_not_500(app, logged_in, caplog, path, error):
    alice = logged_in("alice")

    response = alice.client.post(
        path,
        headers={**alice.headers, "Content-Type": "application/json"},
        environ_overrides={"wsgi.input": BrokenBody(error), "CONTENT_LENGTH": "20"},
    )

    assert response.status_code == 400
    assert response.get_json() == MALFORMED
    assert "Traceback" not in caplog.text


def raw_exchange(port, request_bytes):
    """Send bytes as they are over one connection; return what the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request_bytes)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.decode("latin-1")


@pytest.mark.parametrize("path", ["/api/token", "/api/signup"])
@pytest.mark.parametrize(
    "chunks",
    [b"zz\r\n{}\r\n0\r\n\r\n", b"-5\r\nabcde\r\n0\r\n\r\n", b"2\r\n"],
    ids=["not-hex", "negative", "cut-short"],
)
def test_a_bad_chunked_body_over_real_http_is_a_json_400(app, path, chunks):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    with serving(app) as port:
        answer = raw_exchange(port, head + chunks)

    status_line, _, rest = answer.partition("\r\n")
    assert status_line.startswith("HTTP/1.1 400"), answer
    assert json.loads(rest.partition("\r\n\r\n")[2]) == MALFORMED
