"""The grader's own requests to the API: bounded in size and in total time, whatever comes back."""

from __future__ import annotations

import gzip
import math
import socket
import time
from collections.abc import Iterator

import pytest
import requests

from grader import target
from grader.target import MAX_BODY, Deadline, DeadlinePassed, RateLimited, send
from grader.tests.hostile.tiny import RawServer

SHORT_S = 3  # the per-request bound in these tests, instead of the grader's TIMEOUT_S


@pytest.fixture(autouse=True)
def short_bound(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(target, "TIMEOUT_S", SHORT_S)
    yield
    target.set_grade_deadline(None)


def answering(head: str, body: bytes = b"") -> RawServer:
    """A server answering every request with `head` (CRLF-separated lines) and `body`."""
    return RawServer(lambda client: client.sendall(head.encode() + b"\r\n\r\n" + body))


def dripping(prefix: bytes) -> RawServer:
    """A server sending `prefix`, then one byte a second for as long as someone listens."""

    def script(client: socket.socket) -> None:
        client.sendall(prefix)
        while True:
            client.sendall(b"x")
            time.sleep(1)

    return RawServer(script)


def test_an_answer_over_1_mib_is_cut_and_says_so():
    server = answering("HTTP/1.1 200 OK\r\nContent-Length: 5000000", b"a" * 5_000_000)
    exchange = send("GET", server.url + "/big")
    assert len(exchange.text) == MAX_BODY
    assert exchange.cut == "answer cut at 1 MiB"
    assert exchange.observed.endswith("(answer cut at 1 MiB)")


def test_a_chunked_answer_over_1_mib_is_cut_too():
    chunk = b"%x\r\n%s\r\n" % (100_000, b"b" * 100_000)
    server = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked", chunk * 50 + b"0\r\n\r\n")
    exchange = send("GET", server.url + "/big")
    assert exchange.text == "b" * MAX_BODY
    assert exchange.cut == "answer cut at 1 MiB"


def test_a_body_that_drips_ends_at_the_bound_with_what_came():
    server = dripping(b'HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{"token": "')
    exchange = send("POST", server.url + "/token", json_body={"username": "ann"})
    assert exchange.status == 200
    assert exchange.text.startswith('{"token": "x')
    assert exchange.cut == f"no complete answer within {SHORT_S} s"
    assert exchange.json() is None


def test_a_head_that_drips_raises_a_timeout_at_the_bound():
    server = dripping(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    with pytest.raises(requests.ReadTimeout):
        send("GET", server.url + "/")


def test_the_grade_deadline_cuts_a_request_and_stops_the_next():
    server = dripping(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    target.set_grade_deadline(Deadline(1))
    with pytest.raises(DeadlinePassed):
        send("GET", server.url + "/")
    connections = server.connections
    with pytest.raises(DeadlinePassed):
        send("GET", server.url + "/")
    assert server.connections == connections  # not even sent


def test_a_deadline_passed_to_send_is_a_shorter_bound_for_that_request():
    with pytest.raises(requests.ReadTimeout):
        send("GET", dripping(b"HTTP/1.1 200 OK\r\n").url + "/", deadline=Deadline(1))
    server = dripping(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    exchange = send("GET", server.url + "/", deadline=Deadline(1))
    assert exchange.status == 200
    assert exchange.cut == "no complete answer within 1 s"
    with pytest.raises(requests.ReadTimeout):
        send("GET", server.url + "/", deadline=Deadline(0))


def test_a_deadline_object_counts_down():
    deadline = Deadline(60)
    assert 0 < deadline.left() <= 60
    assert not deadline.passed
    assert Deadline(0).passed
    assert Deadline(-5).left() == 0


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/json", b'{"msg": "caf\xc3\xa9"}', '{"msg": "café"}'),
        ("text/plain; charset=utf-8", b"\xff\xfe\x00\x81", "\ufffd\ufffd\x00\ufffd"),
        ("text/plain; charset=x-unknown", b"ok \xff", "ok \ufffd"),
        ("image/png", b"\x89PNG\r\n\x1a\n", "\ufffdPNG\r\n\x1a\n"),
    ],
)
def test_any_body_becomes_text(content_type, body, expected):
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}"
    exchange = send("GET", answering(head, body).url + "/")
    assert exchange.text == expected
    assert exchange.cut == ""


def test_a_compressed_answer_is_not_inflated():
    bomb = gzip.compress(b"\0" * 50_000_000)
    head = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(bomb)}"
    exchange = send("GET", answering(head, bomb).url + "/")
    assert exchange.text.startswith("\x1f\ufffd\x08")  # gzip's magic bytes, as they came
    assert len(exchange.text) <= len(bomb) < MAX_BODY


def test_an_answer_that_is_not_http_is_a_request_error():
    with pytest.raises(requests.RequestException):
        send("GET", answering("hello, I am not HTTP").url + "/")


def test_a_429_still_stops_the_grader():
    server = answering(
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 60\r\nContent-Length: 2", b"{}"
    )
    with pytest.raises(RateLimited) as raised:
        send("POST", server.url + "/token")
    assert raised.value.exchange.headers["Retry-After"] == "60"


@pytest.mark.parametrize(
    "text",
    [
        "[" * 50_000 + "]" * 50_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        "[" * 100 + "]" * 100,
        "1" * 5000,  # past Python's limit on the digits of an int
        "not json",
        "",
    ],
)
def test_json_that_cannot_be_used_is_none(text):
    assert (
        target.Exchange("GET /", 200, requests.structures.CaseInsensitiveDict(), text).json()
        is None
    )


def test_json_a_few_levels_deep_and_odd_numbers_are_read():
    exchange = target.Exchange(
        "GET /", 200, requests.structures.CaseInsensitiveDict(), '{"a": [{"b": Infinity}]}'
    )
    assert math.isinf(exchange.json()["a"][0]["b"])
