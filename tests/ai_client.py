"""Requests to the AI endpoints through Django's async (ASGI) handler, their bodies read part by
part, Server-Sent Events parsed, and what the assistant offers the model."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from django.http import HttpResponseBase
from django.test import AsyncClient

from assistant.schemas import CONVERSATION_ID_PATTERN
from devtools.fake_llm import FakeLLM, Script
from tests.clients import ASK_URL, STAFF_ASK_URL

# The model name the fake server answers as, and the tests configure.
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
# The store functions only the staff assistant holds; it offers them beside the catalogue's.
STORE_FUNCTIONS = {
    "find_customer",
    "customer_open_rentals",
    "customer_balance",
    "overdue_rentals",
    "film_stock",
    "store_figures",
}
STAFF_TOOLS = CATALOGUE_TOOLS | {f"store-{name}" for name in STORE_FUNCTIONS}
Event = tuple[str, dict[str, Any]]


class NewConversationId:
    """Equal to any string shaped like a conversation id (a new one differs on every ask)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and re.fullmatch(CONVERSATION_ID_PATTERN, other) is not None

    def __repr__(self) -> str:
        return "<a new conversation id>"

    __hash__ = None  # type: ignore[assignment]  # equal to many strings: not hashable


START = ("start", {"status": "processing", "conversation": NewConversationId()})


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
    """GET the ask stream with this question (None: no question parameter at all), in the
    `conversation` given as a keyword, if any."""
    query = {} if question is None else {"question": question}
    if (conversation := extra.pop("conversation", None)) is not None:
        query["conversation"] = conversation
    return request("GET", ASK_URL, query, client, **extra)


def staff_ask(question: str, client: AsyncClient | None = None, **extra: Any) -> Streamed:
    """GET the staff assistant's stream with this question, as `client`'s user (if logged in)."""
    return request("GET", STAFF_ASK_URL, {"question": question, **extra}, client)


def post(path: str, body: Any, **extra: Any) -> Streamed:
    return request("POST", path, body, **extra)


def offered_tools(fake: FakeLLM) -> set[str]:
    """The names of the tools the model's first request offered."""
    return {tool["function"]["name"] for tool in fake.chat_requests[0].get("tools", [])}


def results_by_call(fake: FakeLLM, script: Script) -> list[str | None]:
    """What the model was told each scripted call returned, in call order (None: nothing)."""
    told = {
        m["tool_call_id"]: m["content"]
        for m in fake.chat_requests[-1]["messages"]
        if m["role"] == "tool"
    }
    return [told.get(call["id"]) for call in script.calls]
