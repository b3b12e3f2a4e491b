"""Fixtures for the assistant tests: the fake model server, settings pointing at it, and clients
that go through Django's async (ASGI) request path and read Server-Sent Events."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.http import HttpResponseBase
from django.test import AsyncClient

from assistant.schemas import CONVERSATION_ID_PATTERN
from devtools.fake_llm import FakeLLM

ASK_URL = "/api/v1/ai/ask"
SUMMARY_URL = "/api/v1/ai/summary"
HANDOFF_URL = "/api/v1/ai/handoff"
FAKE_MODEL = "fake-model"
# The kernel's read-only catalogue functions, and the tools the public ask endpoint offers the
# model: all of them but film_named_in (the handoff's router), by their plugin-qualified names.
CATALOGUE_FUNCTIONS = {
    "search_films",
    "film_details",
    "copies_in_stock",
    "films_by_actor",
    "availability_at_store",
    "film_named_in",
}
CATALOGUE_TOOLS = {f"films-{name}" for name in CATALOGUE_FUNCTIONS - {"film_named_in"}}
Event = tuple[str, dict[str, Any]]


class NewConversationId:
    """Equal to any string shaped like a conversation id (a new one differs on every ask)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and re.fullmatch(CONVERSATION_ID_PATTERN, other) is not None

    def __repr__(self) -> str:
        return "<a new conversation id>"

    __hash__ = None  # type: ignore[assignment]  # equal to many strings: not hashable


START = ("start", {"status": "processing", "conversation": NewConversationId()})


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeLLM]:
    with FakeLLM(model=FAKE_MODEL) as server:
        yield server


@pytest.fixture
def fake(fake_server: FakeLLM) -> Iterator[FakeLLM]:
    """The fake model server, with no queued scripts, no responder and no recorded requests."""
    fake_server.reset()
    fake_server.responder = None
    fake_server.chunk_delay = 0.0
    yield fake_server
    fake_server.reset()
    fake_server.responder = None


@pytest.fixture
def model(settings: Any, fake: FakeLLM) -> FakeLLM:
    """The assistant pointed at the fake server (no rate limit; failures reported at once)."""
    settings.OPENAI_BASE_URL = fake.base_url
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_MODEL = FAKE_MODEL
    settings.AI_TIMEOUT = 5.0
    settings.AI_MAX_RETRIES = 0
    settings.AI_RATE_LIMIT = "off"
    return fake


@pytest.fixture
def offline(settings: Any) -> None:
    """No key and no base URL: offline mode."""
    settings.OPENAI_BASE_URL = ""
    settings.OPENAI_API_KEY = ""
    settings.AI_RATE_LIMIT = "off"


@dataclass
class Streamed:
    """A response read to its end, and the body parts in the order they arrived."""

    response: HttpResponseBase
    parts: list[bytes]

    @property
    def events(self) -> list[Event]:
        return parse_events(b"".join(self.parts))

    def json(self) -> Any:
        return json.loads(b"".join(self.parts))

    @property
    def conversation(self) -> str:
        """The conversation id the start event gave."""
        name, data = self.events[0]
        assert name == "start", self.events
        return str(data["conversation"])


def parse_events(body: bytes) -> list[Event]:
    """The (event, data) pairs of a Server-Sent Events body."""
    events = []
    for block in body.decode().split("\n\n"):
        if not block.strip():
            continue
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def request(
    method: str, path: str, body: Any = None, client: AsyncClient | None = None, **extra: Any
) -> Streamed:
    """One request through Django's async handler (as under uvicorn), its body read part by part.

    Runs on a fresh event loop via async_to_sync, so the views' database calls run in this
    (the test's) thread and see its transaction. `client` (e.g. one holding a session cookie)
    sends it; by default a new client without cookies.
    """

    async def run() -> Streamed:
        nonlocal client
        client = client or AsyncClient()
        if method == "GET":
            response = await client.get(path, body, **extra)
        else:
            data = body if isinstance(body, str | bytes) else json.dumps(body)
            response = await client.generic(
                method, path, data, content_type="application/json", **extra
            )
        if response.streaming:
            parts = [part async for part in response.streaming_content]  # type: ignore[attr-defined]
        else:
            parts = [response.content]
        return Streamed(response, parts)

    return async_to_sync(run)()


def ask(question: str | None, client: AsyncClient | None = None, **extra: Any) -> Streamed:
    query = {} if question is None else {"question": question}
    if (conversation := extra.pop("conversation", None)) is not None:
        query["conversation"] = conversation
    return request("GET", ASK_URL, query, client, **extra)


def post(path: str, body: Any, **extra: Any) -> Streamed:
    return request("POST", path, body, **extra)
