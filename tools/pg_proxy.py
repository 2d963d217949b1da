"""A TCP proxy between the app and PostgreSQL that counts what the server is asked.

It reads the messages the driver sends (PostgreSQL's frontend/backend protocol, version 3) and
passes every byte on unchanged. A round trip is a message the server must answer before the
driver goes on: a simple Query ('Q', e.g. BEGIN) or a Sync ('S', which ends a parameterised
query: Parse/Bind/Execute/Sync travel together). So the count is what the server sees, whatever
the app believes it sends: a pool's test query, a BEGIN or a ROLLBACK count like the SELECT.

The proxy also counts the connections the app opens and closes, and can hold each answer back
for `delay` seconds, like a database on another machine, so that requests overlap.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

# Messages that come before the startup message, with no type byte: cancel, TLS, GSSAPI.
PRE_STARTUP_CODES = {80877102, 80877103, 80877104}


class PostgresProxy:
    """Listens on 127.0.0.1:`port`; forwards to PostgreSQL at `target`. Call close() at the end."""

    def __init__(self, target: tuple[str, int], delay: float = 0.0) -> None:
        self.target = target
        self.delay = delay
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.round_trips: list[str] = []  # one entry per round trip: the SQL it ran
        self.opened = 0  # connections the app opened
        self.closed = 0  # connections the app closed (a Terminate message, or its socket)
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        """Start counting again from zero."""
        with self._lock:
            self.round_trips.clear()
            self.opened = self.closed = 0

    def close(self) -> None:
        """Stop listening and cut every connection that goes through the proxy."""
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                _shut(sock)

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(self.target)
            with self._lock:
                self.opened += 1
                self._sockets += [client, server]
            threading.Thread(target=self._from_app, args=(client, server), daemon=True).start()
            threading.Thread(target=self._from_server, args=(server, client), daemon=True).start()

    def _from_server(self, server: socket.socket, client: socket.socket) -> None:
        try:
            while data := server.recv(65536):
                if self.delay:
                    time.sleep(self.delay)
                client.sendall(data)
        except OSError:
            pass
        _shut(client)

    def _from_app(self, client: socket.socket, server: socket.socket) -> None:
        buffer = b""
        started = False  # past the startup message: every message has a type byte
        statements: dict[bytes, str] = {}  # prepared statement name -> SQL
        batch: list[str] = []  # the SQL of the parameterised queries before the next Sync
        try:
            while data := client.recv(65536):
                buffer += data
                while True:
                    if not started:
                        if len(buffer) < 8 or len(buffer) < int.from_bytes(buffer[:4]):
                            break
                        length, code = int.from_bytes(buffer[:4]), int.from_bytes(buffer[4:8])
                        buffer = buffer[length:]
                        started = code not in PRE_STARTUP_CODES
                        continue
                    if len(buffer) < 5 or len(buffer) < 1 + int.from_bytes(buffer[1:5]):
                        break
                    kind, length = buffer[:1], int.from_bytes(buffer[1:5])
                    body, buffer = buffer[5 : 1 + length], buffer[1 + length :]
                    self._read(kind, body, statements, batch)
                # Counted before it is sent on: the answer cannot arrive before the count.
                server.sendall(data)
        except OSError:
            pass
        with self._lock:
            self.closed += 1
        _shut(server)

    def _read(
        self, kind: bytes, body: bytes, statements: dict[bytes, str], batch: list[str]
    ) -> None:
        if kind == b"Q":  # a simple query: one round trip
            self._count(body.split(b"\0", 1)[0].decode())
        elif kind == b"P":  # Parse: name, SQL
            name, sql = body.split(b"\0")[:2]
            statements[name] = sql.decode()
            batch.append(sql.decode())
        elif kind == b"B":  # Bind: portal, statement name (a statement prepared earlier)
            name = body.split(b"\0")[1]
            batch.append(statements.get(name, "(unknown statement)"))
        elif kind == b"S":  # Sync: the batch goes to the server, which answers it
            self._count(batch[-1] if batch else "(sync)")
            batch.clear()

    def _count(self, sql: str) -> None:
        with self._lock:
            self.round_trips.append(sql)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already shut by the other side
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
