"""Before a server starts: is its port free, and which address do students type to reach it?

`python tools/ports.py HOST PORT [FIX]` exits 1 with one line saying what to do when the port is
taken (on macOS the AirPlay Receiver holds 5000), instead of a server's five retries and a
traceback. When HOST is every interface (0.0.0.0), it also prints the address to share, and
ROOM_TEACHER_NOTE if set (`make room`: where the teacher's password is kept).
"""

from __future__ import annotations

import errno
import os
import socket
import sys

WILDCARDS = {"0.0.0.0", "::", ""}  # noqa: S104 (the room setting: every interface, on purpose)


def port_problem(host: str, port: int) -> str | None:
    """Why a server could not listen on host:port, or None if it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # As gunicorn and werkzeug do, so a socket left in TIME_WAIT by a server that has just
        # stopped does not count as busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"port {port} is already in use"
            if error.errno == errno.EACCES:
                return f"port {port} needs administrator rights"
            if error.errno == errno.EADDRNOTAVAIL:
                return f"{host} is not an address of this machine"
            return f"cannot listen on {host}:{port}: {error.strerror}"
        except (OverflowError, socket.gaierror) as error:
            return f"cannot listen on {host}:{port}: {error}"
    return None


def room_address() -> str | None:
    """This machine's address on the network its default route leaves by, or None.

    Connecting a UDP socket sends nothing; it only makes the OS choose the outgoing interface,
    which is the one a room's Wi-Fi or cable reaches the laptop on. A list of every interface
    would also show Docker bridges and VPN tunnels that students cannot reach.
    """
    for probe in ("10.255.255.255", "192.168.255.255"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.connect((probe, 9))
            except OSError:
                continue
            address = sock.getsockname()[0]
            if not address.startswith("127.") and address != "0.0.0.0":  # noqa: S104
                return address
    return None


def main(argv: list[str]) -> int:
    """HOST PORT [FIX]: say FIX (default `make run PORT=<PORT+1>`) if the port cannot be used.

    For HOST 0.0.0.0, also print the address to share with the room.
    """
    host, port_text = argv[0], argv[1]
    if not port_text.isdigit():
        print(f"PORT must be a number, not {port_text!r}: e.g. make run PORT=5001", file=sys.stderr)
        return 1
    port = int(port_text)
    fix = argv[2] if len(argv) > 2 else f"make run PORT={port + 1}"
    problem = port_problem(host, port)
    if problem:
        if "not an address" in problem:
            fix = "HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (the whole room)"
        elif port == 5000 and "in use" in problem and sys.platform == "darwin":
            problem += " (by the AirPlay Receiver, unless it is switched off)"
        print(f"Cannot start: {problem}. Use {fix}", file=sys.stderr)
        return 1
    if host in WILDCARDS:
        address = room_address()
        if address:
            print(f"Students open: http://{address}:{port} (this machine on the room's network)")
        else:
            print(
                "No network address found: connect to the room's network, then look it up "
                "(macOS: ipconfig getifaddr en0; Linux: hostname -I)"
            )
        # `make room` says where the teacher's password is, last, below the address.
        if os.environ.get("ROOM_TEACHER_NOTE"):
            print(os.environ["ROOM_TEACHER_NOTE"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
