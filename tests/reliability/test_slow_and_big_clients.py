"""A real server (gunicorn + uvicorn workers) against oversized bodies and slow clients.

Bodies over the limit are refused at the ASGI door with a 413 and a closed connection, whether
their size is declared or streamed. Hundreds of clients that send their headers or body
slowly (loopback only, bounded, closed at the end) hold sockets, not workers: ordinary requests
are answered meanwhile, and the slow clients are answered once they finish.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

ONE_MB = 1024 * 1024
# Seconds a socket read may block before the test gives up on the server.
READ_TIMEOUT = 10.0
SLOW_HEADERS = 150
SLOW_BODIES = 50
ORDINARY_REQUESTS = 20


def connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=READ_TIMEOUT)
    return sock


def read_response(sock: socket.socket) -> tuple[bytes, bytes, bool]:
    """The response head and body, and whether the server then closed the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    try:
        closed = sock.recv(1) == b""
    except ConnectionResetError:  # closed with our unread body still in flight
        closed = True
    except TimeoutError:
        closed = False
    return head, body, closed


def assert_413(head: bytes, body: bytes, closed: bool) -> None:
    assert head.startswith(b"HTTP/1.1 413"), head
    assert b"content-type: application/problem+json" in head.lower()
    problem = json.loads(body)
    assert problem["code"] == "request_too_large" and problem["request_id"]
    assert closed, "the connection stays open after a refused body"


def test_a_declared_body_over_the_limit_is_refused_before_it_is_sent(live_server_url: str) -> None:
    with connect(live_server_url) as sock:
        sock.sendall(
            b"POST /api/v1/ai/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 5242880\r\n\r\n"
        )
        assert_413(*read_response(sock))


def test_a_streamed_body_over_the_limit_is_cut_off_with_a_413(live_server_url: str) -> None:
    piece = b"x" * 65536
    with connect(live_server_url) as sock:
        sock.sendall(
            b"POST /api/v1/customers/1/rentals HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer dvd_admin\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        sent = 0
        try:
            while sent <= 2 * ONE_MB:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: it has answered
        assert_413(*read_response(sock))
    assert sent > ONE_MB


@contextmanager
def slow_clients(url: str) -> Iterator[tuple[list[socket.socket], list[socket.socket]]]:
    """Sockets that stopped mid-headers and sockets that stopped mid-body; closed on exit."""
    with ExitStack() as stack:
        headers, bodies = [], []
        for _ in range(SLOW_HEADERS):
            sock = stack.enter_context(connect(url))
            sock.sendall(b"GET /api/v1/films/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAcc")
            headers.append(sock)
        for _ in range(SLOW_BODIES):
            sock = stack.enter_context(connect(url))
            sock.sendall(
                b"POST /api/v1/ai/summary HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                b'Content-Type: application/json\r\nContent-Length: 14\r\n\r\n{"film_'
            )
            bodies.append(sock)
        yield headers, bodies


def test_slow_clients_hold_sockets_not_workers(live_server_url: str) -> None:
    with slow_clients(live_server_url) as (headers, bodies):
        time.sleep(1.0)  # let every worker accept its share of the slow sockets
        with httpx.Client(base_url=live_server_url, timeout=READ_TIMEOUT) as client:
            started = time.monotonic()
            statuses = [client.get(f"/api/v1/films/{n}").status_code for n in range(1, 21)]
            elapsed = time.monotonic() - started
        assert statuses == [200] * ORDINARY_REQUESTS
        # The slow clients finish; each is answered as if nothing had happened.
        for sock in headers[:5]:
            sock.sendall(b"ept: application/json\r\nConnection: close\r\n\r\n")
            head, body, _ = read_response(sock)
            assert head.startswith(b"HTTP/1.1 200") and json.loads(body)["film_id"] == 1
        for sock in bodies[:5]:
            sock.sendall(b'id": 1}')
            head, body, _ = read_response(sock)
            assert head.startswith(b"HTTP/1.1 200"), head
            assert json.loads(body)["title"] == "ACADEMY DINOSAUR"
    print(
        f"slow clients: {SLOW_HEADERS} stalled mid-headers and {SLOW_BODIES} mid-body; "
        f"{ORDINARY_REQUESTS} ordinary requests meanwhile all 200 in {elapsed:.2f} s"
    )
