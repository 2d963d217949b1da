"""The grader's filtering proxy: its Chromium reaches API and APP and nothing else.

Chromium sends every request through this proxy (Playwright's `proxy=` option, loopback
included), so the limits hold below the page, whatever its scripts do:

- a request to any other origin (a redirect's target, an <img>, a fetch, a prefetch) gets 403 and
  is listed in `refused`; so does a CONNECT (WebSocket, HTTPS) to any other host and port;
- each answer is cut at `max_body` bytes, and each exchange ends after `exchange_s` seconds in
  total, however slowly the server sends; a tunnel is bounded likewise (`max_tunnel`,
  `tunnel_s`); every cut is listed too;
- each answer from API and APP is kept (`answers`, the first KEEP bytes of its body): a page that
  moves on right after its login leaves the browser nothing to read back, and the grader still
  needs the login's answer.

Unlike Playwright's request interception (`page.route`), a proxy leaves Chromium's own handling
of each request alone: CORS preflights happen exactly as in a student's browser.

It is a small threaded proxy on the standard library rather than the `proxy.py` package: the
grader needs a list of what was refused in its own process, a byte cap that closes the
connection, and a bound on an exchange's total time (not on each read, which a slow drip
resets); `proxy.py` offers an inactivity timeout only, cannot close a connection from its
response hook, and runs acceptor processes of its own.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tools.browser import launch_options

from .target import Deadline

EXCHANGE_S = 15.0  # one request and its answer, from start to end
# Each answer the browser gets. Larger than what the grader itself reads (target.MAX_BODY): a
# correct app's scripts can be big, e.g. React's development build is 1.2 MB as Vite's dev
# server sends it. Only Chromium holds it; the proxy passes it on as it comes.
MAX_PAGE_BODY = 16 * 2**20
# A tunnel (HTTPS, WebSocket) to API or APP carries a whole connection's requests, which the
# proxy cannot tell apart: it is bounded as a whole, like the grade.
TUNNEL_S = 120.0
MAX_TUNNEL = 64 * 2**20
MAX_HEAD = 64 * 1024  # a request's or an answer's status line and headers
MAX_CONNECTIONS = 64  # open at once; Chromium keeps at most 32 to one proxy
MAX_LISTED = 50  # refusals listed one by one; the rest are counted
CHUNK = 64 * 1024
KEEP = 64 * 1024  # of each answer's body, for the grader to read (a login's JSON, say)
MAX_KEPT = 500  # answers kept; a page that loops on requests does not grow the list further
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# Hop-by-hop headers (RFC 9110 section 7.6.1) and the proxy's own: never forwarded.
HOP_BY_HOP = {
    "connection",
    "proxy-connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-authenticate",
    "te",
    "trailer",
    "upgrade",
}
# Chromium's own services (updates, account checks), which it calls at start whatever its flags:
# refused like any other host, but not listed, since no student's page asked for them.
BROWSER_SERVICES = {
    "accounts.google.com",
    "clients2.google.com",
    "clientservices.googleapis.com",
    "content-autofill.googleapis.com",
    "edgedl.me.gvt1.com",
    "optimizationguide-pa.googleapis.com",
    "redirector.gvt1.com",
    "safebrowsing.googleapis.com",
    "update.googleapis.com",
}
REFUSED_ANSWER = (
    b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 52\r\n"
    b"Connection: close\r\n\r\nRefused by the grader: only API and APP are contacted"
)

# Chromium switches that keep traffic off the proxy's path from happening at all: WebRTC may
# not send UDP (STUN) around the proxy, nothing is resolved or fetched ahead of time.
ISOLATION_ARGS = [
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--dns-prefetch-disable",
    "--disable-quic",
    "--no-pings",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    # Every host name resolves to nothing: pages' requests go to the proxy by name, so only
    # something bypassing the proxy (a STUN server's name) would need Chromium's resolver.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def grader_launch_options(proxy_url: str) -> dict:
    """Keyword arguments for `chromium.launch()`: tools.browser's, through the proxy at `proxy_url`.

    `<-loopback>` makes Chromium send 127.0.0.1 and localhost through the proxy too (it bypasses
    them by default); service workers are blocked per context (`service_workers="block"`).
    """
    options = launch_options()
    options["args"] = [*options["args"], *ISOLATION_ARGS]
    options["proxy"] = {"server": proxy_url, "bypass": "<-loopback>"}
    return options


@dataclass
class Answer:
    """One answer the proxy passed on: what the page asked and the start of what came back."""

    number: int
    method: str
    url: str
    status: int
    headers: dict[str, str]
    body: bytearray = field(default_factory=bytearray)

    def keep(self, data: bytes) -> None:
        self.body += data[: KEEP - len(self.body)]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class TimeUp(Exception):
    """The exchange's time is over."""


class Unreadable(Exception):
    """Bytes that are not the HTTP the proxy expects."""


def host_port(scheme: str, netloc: str) -> tuple[str, int]:
    """(lower-case host without brackets, port) of `netloc`, the scheme's port by default."""
    parts = urlsplit(f"//{netloc}")
    port = parts.port or DEFAULT_PORTS.get(scheme, 80)  # ValueError for a port out of range
    return (parts.hostname or "").lower(), port


def visible(text: str, limit: int = 200) -> str:
    """`text` for a listing line: control characters escaped, cut at `limit` characters."""
    text = "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in text)
    return text if len(text) <= limit else text[:limit] + "..."


class Stream:
    """One socket, read with a total deadline and a buffer for what was read ahead."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self.sock = sock
        self.deadline = deadline
        self.buffer = bytearray()

    def fill(self) -> bool:
        """Read what has arrived (waiting at most until the deadline); False at end of stream."""
        if self.deadline.passed:
            raise TimeUp
        self.sock.settimeout(self.deadline.left())
        try:
            data = self.sock.recv(CHUNK)
        except TimeoutError as error:
            raise TimeUp from error
        self.buffer += data
        return bool(data)

    def line(self, limit: int = MAX_HEAD) -> bytes:
        """Up to and including the next CRLF (or what is left at end of stream)."""
        while (end := self.buffer.find(b"\n")) < 0:
            if len(self.buffer) > limit:
                raise Unreadable("a line too long")
            if not self.fill():
                end = len(self.buffer) - 1
                break
        return self.take(end + 1)

    def head(self) -> bytes | None:
        """The status or request line and headers, through the empty line; None at once-EOF."""
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            if len(self.buffer) > MAX_HEAD:
                raise Unreadable(f"a head over {MAX_HEAD // 1024} KiB")
            if not self.fill():
                if self.buffer:
                    raise Unreadable("the connection closed in the middle of a head")
                return None
        return self.take(end + 4)

    def take(self, size: int) -> bytes:
        """Up to `size` bytes of the buffer, removed from it."""
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data


class Cut(Exception):
    """An answer or a tunnel went over its size limit."""


def parse_head(head: bytes) -> tuple[list[str], list[tuple[str, str]]]:
    """(the first line's three words, [(name, value)]) of an HTTP head."""
    lines = head.decode("latin-1").split("\r\n")
    words = lines[0].split(" ", 2)
    if len(words) != 3:
        raise Unreadable("not an HTTP first line")
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or name != name.strip():
            raise Unreadable("a header line without a name")
        headers.append((name, value.strip()))
    return words, headers


def end_to_end(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers a proxy forwards: not hop-by-hop ones, nor those `Connection` names."""
    named = {
        token.strip().lower()
        for name, value in headers
        if name.lower() == "connection"
        for token in value.split(",")
    }
    return [(n, v) for n, v in headers if n.lower() not in HOP_BY_HOP | named]


def header(headers: list[tuple[str, str]], wanted: str) -> str | None:
    """The value of the last header named `wanted` (any case), or None."""
    values = [value for name, value in headers if name.lower() == wanted]
    return values[-1] if values else None


def build_head(first_line: str, headers: list[tuple[str, str]]) -> bytes:
    """An HTTP head asking for the connection to close after one exchange."""
    lines = [first_line, *(f"{name}: {value}" for name, value in headers), "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def copy_exactly(
    source: Stream, sink: socket.socket, size: int, budget: list[int], kept: Answer | None = None
) -> None:
    """Forward `size` bytes; `budget[0]` is how many more may pass before the answer is cut."""
    while size > 0:
        if not source.buffer and not source.fill():
            raise Unreadable("the connection closed before the end of a body")
        data = source.take(size)
        size -= len(data)
        if kept is not None:
            kept.keep(data)
        send_within(sink, data, budget)


def send_within(sink: socket.socket, data: bytes, budget: list[int]) -> None:
    """Send `data`, or only what `budget` allows and raise Cut."""
    allowed = data[: max(budget[0], 0)]
    budget[0] -= len(data)
    sink.sendall(allowed)
    if budget[0] < 0:
        raise Cut


def copy_body(
    source: Stream,
    sink: socket.socket,
    headers: list[tuple[str, str]],
    budget: list[int],
    kept: Answer | None = None,
) -> None:
    """Forward an answer's body as it is framed: chunked, by Content-Length, or to the end."""
    encoding = (header(headers, "transfer-encoding") or "").lower()
    length = header(headers, "content-length")
    if "chunked" in encoding:
        while True:
            size_line = source.line(limit=4096)
            send_within(sink, size_line, budget)
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError as error:
                raise Unreadable("a chunk without a size") from error
            if size == 0:
                while (trailer := source.line(limit=4096)).strip():
                    send_within(sink, trailer, budget)
                send_within(sink, trailer, budget)
                return
            copy_exactly(source, sink, size, budget, kept)
            copy_exactly(source, sink, 2, budget)  # the chunk's closing CRLF
    elif length is not None:
        if not length.isdigit():
            raise Unreadable("a Content-Length that is not a number")
        copy_exactly(source, sink, int(length), budget, kept)
    else:
        while source.buffer or source.fill():
            data = source.take(len(source.buffer))
            if kept is not None:
                kept.keep(data)
            send_within(sink, data, budget)


class FilteringProxy:
    """An HTTP proxy on 127.0.0.1 that lets Chromium reach `allowed_origins` only.

        with FilteringProxy(allowed_origins={API, APP}) as proxy:
            browser = playwright.chromium.launch(**grader_launch_options(proxy.url))
            ...
            proxy.refused  # what it refused or cut, one line each

    Each connection is served by a thread of its own for one exchange (`Connection: close`).
    """

    def __init__(
        self,
        allowed_origins: Iterable[str],
        *,
        max_body: int = MAX_PAGE_BODY,
        exchange_s: float = EXCHANGE_S,
        max_tunnel: int = MAX_TUNNEL,
        tunnel_s: float = TUNNEL_S,
    ) -> None:
        self.allowed: set[tuple[str, str, int]] = set()
        for origin in allowed_origins:
            parts = urlsplit(origin)
            self.allowed.add((parts.scheme.lower(), *host_port(parts.scheme, parts.netloc)))
        self.max_body = max_body
        self.exchange_s = exchange_s
        self.max_tunnel = max_tunnel
        self.tunnel_s = tunnel_s
        self._refused: list[str] = []
        self._answers: list[Answer] = []
        self._not_listed = 0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stopped = threading.Event()
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._accept, name="grader-proxy", daemon=True)

    def __enter__(self) -> FilteringProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopped.set()
        self._thread.join()
        self._listener.close()

    @property
    def refused(self) -> list[str]:
        """What was refused or cut, in order, each once (after MAX_LISTED, a count)."""
        with self._lock:
            more = [f"{self._not_listed} more refused"] if self._not_listed else []
            return [*self._refused, *more]

    def answers(self, method: str, url: str) -> list[Answer]:
        """The whole answers to `method url` passed on so far, oldest first."""
        with self._lock:
            return [a for a in self._answers if (a.method, a.url) == (method.upper(), url)]

    def all_answers(self) -> list[Answer]:
        """Every whole answer passed on so far, oldest first."""
        with self._lock:
            return list(self._answers)

    def _list(self, line: str) -> None:
        with self._lock:
            if line in self._refused:
                return
            if len(self._refused) < MAX_LISTED:
                self._refused.append(line)
            else:
                self._not_listed += 1

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._slots.acquire(blocking=False):
                client.close()
                self._list(f"a connection (more than {MAX_CONNECTIONS} open at once)")
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        """One connection: never raises, whatever arrives; closes the socket at the end."""
        try:
            self._exchange(Stream(client, Deadline(self.exchange_s)))
        except (TimeUp, OSError):
            pass  # a client that went away or never spoke: nothing was refused
        except Unreadable as error:
            self._list(f"a request the proxy could not read ({error})")
            with contextlib.suppress(OSError):
                client.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
        except Exception as error:  # a thread's traceback would reach the terminal
            self._list(f"an exchange the proxy gave up on ({type(error).__name__})")
        finally:
            client.close()
            self._slots.release()

    def _allows(self, scheme: str, host: str, port: int) -> bool:
        if scheme == "connect":
            return any((host, port) == (h, p) for _s, h, p in self.allowed)
        return (scheme, host, port) in self.allowed

    def _exchange(self, client: Stream) -> None:
        head = client.head()
        if head is None:
            return  # a connection opened ahead of time and closed unused
        (method, target, version), headers = parse_head(head)
        if method.upper() == "CONNECT":
            self._tunnel(client, target)
            return
        parts = urlsplit(target)
        shown = f"{visible(method, 20)} {visible(target)}"
        if parts.scheme != "http" or not parts.netloc:
            raise Unreadable(f"{shown}: not an absolute http:// URL")
        try:
            host, port = host_port("http", parts.netloc)
        except ValueError as error:
            raise Unreadable(f"{shown}: no valid host and port") from error
        if not self._allows("http", host, port):
            if host not in BROWSER_SERVICES:
                self._list(f"{shown} (not API or APP)")
            client.sock.sendall(REFUSED_ANSWER)
            return
        if header(headers, "transfer-encoding") is not None:
            raise Unreadable(f"{shown}: a request body in chunks")
        length = header(headers, "content-length") or "0"
        if not length.isdigit():
            raise Unreadable(f"{shown}: a Content-Length that is not a number")

        upstream_sock = self._connect(client, host, port)
        if upstream_sock is None:
            return
        with upstream_sock:
            path = parts.path or "/"
            if parts.query:
                path += "?" + parts.query
            upstream_sock.sendall(build_head(f"{method} {path} {version}", end_to_end(headers)))
            copy_exactly(client, upstream_sock, int(length), [int(length)])
            upstream = Stream(upstream_sock, client.deadline)
            try:
                self._answer(upstream, client.sock, method, target)
            except TimeUp:
                self._list(f"{shown} (answer cut after {self.exchange_s:g} s)")
            except Cut:
                self._list(f"{shown} (answer cut at {self.max_body / 2**20:g} MiB)")
            except Unreadable as error:
                self._list(f"{shown} (an answer the proxy could not read: {error})")

    def _connect(self, client: Stream, host: str, port: int) -> socket.socket | None:
        """A connection to an allowed host, or None after telling the client it failed."""
        try:
            return socket.create_connection((host, port), timeout=max(client.deadline.left(), 0.1))
        except OSError:
            client.sock.sendall(b"HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n")
            return None

    def _answer(self, upstream: Stream, client: socket.socket, method: str, url: str) -> None:
        """Forward the answer's head (after any 1xx) and its body, within the caps; keep it."""
        while True:
            head = upstream.head()
            if head is None:
                raise Unreadable("no answer")
            (_version, status, reason), headers = parse_head(head)
            if not status.isdigit():
                raise Unreadable("a status that is not a number")
            if not 100 <= int(status) < 200:
                break  # 1xx (Early Hints, Continue) are informational: the real answer follows
        client.sendall(build_head(f"HTTP/1.1 {status} {reason}", end_to_end(headers)))
        kept = Answer(0, method.upper(), url, int(status), {k.lower(): v for k, v in headers})
        if method.upper() != "HEAD" and int(status) not in (204, 304):
            copy_body(upstream, client, headers, [self.max_body], kept)
        with self._lock:
            if len(self._answers) < MAX_KEPT:
                kept.number = len(self._answers)
                self._answers.append(kept)

    def _tunnel(self, client: Stream, authority: str) -> None:
        """CONNECT: a tunnel to API's or APP's host and port (a WebSocket, HTTPS), bounded."""
        shown = f"CONNECT {visible(authority)}"
        try:
            host, port = host_port("https", authority)
        except ValueError as error:
            raise Unreadable(f"{shown}: no valid host and port") from error
        if not host or not self._allows("connect", host, port):
            if host not in BROWSER_SERVICES:
                self._list(f"{shown} (WebSocket or TLS; not API or APP)")
            client.sock.sendall(REFUSED_ANSWER)
            return
        upstream = self._connect(client, host, port)
        if upstream is None:
            return
        with upstream:
            client.sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            upstream.sendall(client.take(len(client.buffer)))
            try:
                self._pump(client.sock, upstream, Deadline(self.tunnel_s))
            except TimeUp:
                self._list(f"{shown} (tunnel closed after {self.tunnel_s:g} s)")
            except Cut:
                self._list(f"{shown} (tunnel cut at {self.max_tunnel / 2**20:g} MiB)")

    def _pump(self, client: socket.socket, upstream: socket.socket, deadline: Deadline) -> None:
        """Copy both ways until both sides have finished, each way within `max_tunnel` bytes."""
        budgets = {client: [self.max_tunnel], upstream: [self.max_tunnel]}
        other = {client: upstream, upstream: client}
        open_ends = [client, upstream]
        while open_ends:
            if deadline.passed:
                raise TimeUp
            readable, _, _ = select.select(open_ends, [], [], deadline.left())
            for sock in readable:
                data = sock.recv(CHUNK)
                if data:
                    send_within(other[sock], data, budgets[sock])
                else:
                    open_ends.remove(sock)
                    with contextlib.suppress(OSError):
                        other[sock].shutdown(socket.SHUT_WR)
