"""Every way the model can fail, through a real server: clean errors, nothing left open upstream.

Each fault of the fake model (500, 429, a hang past AI_TIMEOUT, a malformed chunk, a connection
cut mid-answer) is sent to all three AI endpoints of a gunicorn + uvicorn server: the stream
ends with an `error` event, summary and handoff answer 502/503/504 problems, and the fake
model has no response in flight afterwards. A client leaving mid-stream cancels the model's
response; the time that takes is printed.
"""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest

from devtools.fake_llm import FakeLLM, Script

pytestmark = pytest.mark.live

OTHER_QUESTION = "Who won the FIFA World Cup in 2022?"
FAULTS = {
    "500": (Script.error(500), 502, "upstream_error"),
    "429": (Script.error(429, "slow down", retry_after=30), 503, "upstream_rate_limited"),
    "hang": (Script.hang(), 504, "upstream_timeout"),
    "malformed": (Script.malformed(after=1), 502, "upstream_malformed"),
    "cut": (Script.cut(after=1), 502, "upstream_unavailable"),
}


def sse_events(text: str) -> list[tuple[str, dict[str, str]]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((fields["event"], json.loads(fields["data"])))
    return events


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_model_fault_is_a_clean_error_on_every_ai_endpoint(
    live_server_url: str, fake: FakeLLM, fault: tuple[Script, int, str]
) -> None:
    script, status, code = fault
    with httpx.Client(base_url=live_server_url, timeout=10) as client:
        fake.push(script)
        stream = client.get("/api/v1/ai/ask", params={"question": "Tell me about comedies"})
        fake.push(script)
        summary = client.post("/api/v1/ai/summary", json={"film_id": 1})
        fake.push(script)
        handoff = client.post("/api/v1/ai/handoff", json={"question": OTHER_QUESTION})
    assert stream.status_code == 200
    events = sse_events(stream.text)
    assert events[0][0] == "start" and events[-1][0] == "error"
    assert events[-1][1]["code"] == code and events[-1][1]["message"]
    for response in (summary, handoff):
        assert response.status_code == status
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == code
        assert response.json()["request_id"] == response.headers["x-request-id"]
    assert fake.wait_for(lambda: fake.open_connections == 0)
    assert len(fake.chat_requests) == 3


def test_a_client_leaving_mid_stream_cancels_the_model_response(
    live_server_url: str, fake: FakeLLM
) -> None:
    fake.push(Script.text("word " * 200, chunks=200, delay=0.05))
    parts = urlsplit(live_server_url)
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=10) as sock:
        sock.sendall(
            b"GET /api/v1/ai/ask?question=Tell+me+a+long+story HTTP/1.1\r\n"
            b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while b"event: message" not in received:
            chunk = sock.recv(65536)
            assert chunk, received
            received += chunk
        assert b"HTTP/1.1 200" in received and b"text/event-stream" in received
        assert fake.open_connections == 1
    # The socket is closed: uvicorn tells Django, Django cancels the view's stream, and the
    # view cancels the model request, which the fake server sees as an abandoned response.
    left = time.monotonic()
    assert fake.wait_for(lambda: fake.cancelled_streams == 1, timeout=10)
    cancelled_after = time.monotonic() - left
    assert fake.wait_for(lambda: fake.open_connections == 0)
    assert len(fake.chat_requests) == 1
    print(f"client disconnect: model response cancelled {cancelled_after * 1000:.0f} ms later")
