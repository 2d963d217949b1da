"""The server in front of the app, as `make run` and `make room` start it (backend/serve.py).

`make room` serves a whole classroom's network with no nginx in front, so the server itself must
stand up to clients that are slow to send a request, and its errors under /api must be the API's
JSON, not a page of its own. Bounded: a few dozen connections for a few seconds, and every wait
has a generous limit (a busy machine makes answers slow, never missing).
"""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

from tools.servers import slow_clients

SLOW_CLIENTS = 30  # more than the server's request threads (WEB_THREADS: 8)
PATIENCE_S = 20  # how long a normal request may take on a very busy machine


def address(base_url: str) -> tuple[str, int]:
    """(host, port) of the server."""
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def get(base_url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """One GET on a new connection: (status, Content-Type, body)."""
    host, port = address(base_url)
    conn = http.client.HTTPConnection(host, port, timeout=PATIENCE_S)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    answer = response.status, response.getheader("Content-Type", ""), response.read()
    conn.close()
    return answer


def test_slow_clients_do_not_stop_a_normal_request_from_being_answered(server: str) -> None:
    """More slow connections than the server has threads: a normal request still gets its 200."""
    with slow_clients(address(server)[1], SLOW_CLIENTS):
        time.sleep(2)  # every slow client has sent a header line or two by now
        health, _, _ = get(server, "/api/health")
        demo, _, _ = get(server, "/api/demo")
    assert health == 200
    assert demo == 200


def test_oversized_headers_get_the_apis_json_431(server: str) -> None:
    """Headers far over the app's limit (16 KiB) get the API's error shape, not a server page."""
    for size in (20 * 1024, 60 * 1024):
        status, content_type, body = get(server, "/api/health", {"X-Padding": "a" * size})
        assert status == 431
        assert content_type == "application/json"
        assert json.loads(body) == {
            "msg": "The request's headers are larger than 16 KiB",
            "error": "headers_too_large",
        }
    # Headers of a normal size still reach the route.
    assert get(server, "/api/health", {"X-Padding": "a" * 1024})[0] == 200
