"""GET /api/v1/ai/ask when the model server fails: an `error` event with a stable code, logged."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import START, ask
from tests.live import free_port
from tests.log_events import logged

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("script", "code", "partial"),
    [
        (Script.error(500), "upstream_error", ""),
        (Script.error(429, "slow down", retry_after=30), "upstream_rate_limited", ""),
        (Script.hang(), "upstream_timeout", ""),
        (
            Script.malformed(after=1, text="partial answer then junk"),
            "upstream_malformed",
            "partial ",
        ),
        (
            Script.cut(after=2, text="partial answer then a cut"),
            "upstream_unavailable",
            "partial answer then ",
        ),
    ],
    ids=["500", "429", "hang", "malformed", "cut"],
)
def test_upstream_failure_ends_the_stream_with_an_error_event(
    model: FakeLLM,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
    script: Script,
    code: str,
    partial: str,
) -> None:
    settings.AI_TIMEOUT = 0.5
    model.push(script)
    streamed = ask("What is new?")
    assert streamed.response.status_code == 200
    events = streamed.events
    assert events[0] == START
    assert "".join(data["content"] for name, data in events if name == "message") == partial
    name, data = events[-1]
    assert name == "error" and data["code"] == code and data["message"]
    assert "complete" not in [name for name, _ in events]
    assert model.wait_for(lambda: model.open_connections == 0)
    request_id = streamed.response["X-Request-ID"]
    assert logged(caplog, event="model request failed", code=code, request_id=request_id)


def test_failure_after_a_tool_call_is_an_error_event_too(model: FakeLLM) -> None:
    model.push(Script.tool_call("films-film_details", {"film_id": 1}), Script.error(503))
    events = ask("Tell me about film 1").events
    assert events[-1][0] == "error" and events[-1][1]["code"] == "upstream_error"
    assert len(model.chat_requests) == 2


def test_unreachable_model_server_is_upstream_unavailable(model: FakeLLM, settings: Any) -> None:
    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{free_port()}/v1"
    events = ask("Anyone there?").events
    assert events[-1] == (
        "error",
        {
            "code": "upstream_unavailable",
            "message": "The language model server could not be reached or closed the connection.",
        },
    )
