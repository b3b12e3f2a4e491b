"""The AI endpoints in the OpenAPI schema, with their error responses."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def schema() -> Any:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_ask_is_documented_as_a_get_streaming_events_with_400_404_and_429(schema: Any) -> None:
    operation = schema["paths"]["/api/v1/ai/ask"]["get"]
    assert set(schema["paths"]["/api/v1/ai/ask"]) == {"get"}
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    for status in ("400", "404", "429"):
        assert "application/problem+json" in operation["responses"][status]["content"]
    conversation, question = operation["parameters"]  # alphabetical
    assert question["name"] == "question" and question["required"] is True
    assert question["schema"]["maxLength"] == 2000
    assert conversation["name"] == "conversation" and not conversation.get("required")
    assert conversation["schema"]["pattern"] == "^[A-Za-z0-9_-]{32}$"


def test_ask_documents_the_conversation_id_and_the_sources_event(schema: Any) -> None:
    operation = schema["paths"]["/api/v1/ai/ask"]["get"]
    stream = operation["responses"]["200"]["content"]["text/event-stream"]["schema"]
    assert stream["properties"]["event"]["enum"] == [
        "start",
        "message",
        "sources",
        "complete",
        "error",
    ]
    assert '"conversation": "<id>"' in operation["description"]
    assert "`event: sources`" in operation["description"]


@pytest.mark.parametrize("path", ["/api/v1/ai/summary", "/api/v1/ai/handoff"])
def test_post_endpoints_document_body_answer_and_upstream_errors(schema: Any, path: str) -> None:
    operation = schema["paths"][path]["post"]
    assert set(schema["paths"][path]) == {"post"}
    assert "application/json" in operation["requestBody"]["content"]
    assert {"200", "400", "429", "502", "503", "504"} <= set(operation["responses"])


def test_summary_answer_schema_is_the_three_fields(schema: Any) -> None:
    operation = schema["paths"]["/api/v1/ai/summary"]["post"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(component["properties"]) == {"title", "rating", "recommended"}
    assert "404" in operation["responses"]
