"""GET /api/v1/ai/ask on a real server (gunicorn + uvicorn): headers, a stream read to its end.

A client leaving mid-answer, which cancels the model's response, is in
tests/reliability/test_model_faults_live.py.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest

from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import parse_events

pytestmark = pytest.mark.live

REQUEST = (
    b"GET /api/v1/ai/ask?question=Tell+me+a+long+story HTTP/1.1\r\n"
    b"Host: 127.0.0.1\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n"
)


def open_stream(url: str, request: bytes = REQUEST) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=10)
    sock.sendall(request)
    return sock


def response_headers(url: str, request: bytes) -> list[str]:
    """The header lines (lower-cased) of the ask stream's response to a raw request."""
    with open_stream(url, request) as sock:
        head = read_until(sock, b"\r\n\r\n").split(b"\r\n\r\n", 1)[0]
        read_until(sock, b"event: complete")
    return head.decode().lower().split("\r\n")[1:]


def test_http_1_1_stream_says_keep_alive_and_no_cache(live_server_url: str, fake: FakeLLM) -> None:
    request = b"GET /api/v1/ai/ask?question=Hi HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    headers = response_headers(live_server_url, request)
    assert "connection: keep-alive" in headers
    assert "cache-control: no-cache" in headers
    assert "content-type: text/event-stream" in headers


def test_stream_asked_to_close_says_only_close(live_server_url: str, fake: FakeLLM) -> None:
    headers = response_headers(live_server_url, REQUEST)
    assert [h for h in headers if h.startswith("connection:")] == ["connection: close"]


def test_http_1_0_stream_gets_no_keep_alive(live_server_url: str, fake: FakeLLM) -> None:
    request = b"GET /api/v1/ai/ask?question=Hi HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
    headers = response_headers(live_server_url, request)
    assert "connection: keep-alive" not in headers
    assert "cache-control: no-cache" in headers


def read_until(sock: socket.socket, marker: bytes) -> bytes:
    received = b""
    while marker not in received:
        chunk = sock.recv(65536)
        assert chunk, f"the server closed the stream before {marker!r}: {received!r}"
        received += chunk
    return received


def test_a_stream_read_to_the_end_is_not_cancelled(live_server_url: str, fake: FakeLLM) -> None:
    fake.push(Script.text(["One ", "two ", "three."], delay=0.01))
    with open_stream(live_server_url) as sock:
        received = read_until(sock, b"event: complete")
    body = received.split(b"\r\n\r\n", 1)[1]
    events = parse_events(dechunk(body))
    assert [name for name, _ in events] == ["start", "message", "message", "message", "complete"]
    assert fake.wait_for(lambda: fake.open_connections == 0)
    assert fake.cancelled_streams == 0


def dechunk(body: bytes) -> bytes:
    """The payload of an HTTP/1.1 chunked body (as much of it as was read)."""
    data, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16) if size_line.strip() else 0
        if size == 0:
            break
        data, rest = data + rest[:size], rest[size + 2 :]
    return data
