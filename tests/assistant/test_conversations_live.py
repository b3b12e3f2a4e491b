"""Conversations survive a server restart: they live in PostgreSQL, not in a worker's memory."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.db import connection

from assistant.models import Conversation
from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import parse_events
from tests.live import model_env, running_server

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_conversations_left() -> Iterator[None]:
    yield
    Conversation.objects.all().delete()  # the live server committed them


def ask_server(url: str, **query: str) -> list[tuple[str, dict[str, str]]]:
    with urllib.request.urlopen(f"{url}/api/v1/ai/ask?{urlencode(query)}", timeout=20) as reply:
        return parse_events(reply.read())


def test_a_conversation_continues_on_a_restarted_server(
    live_server_url: str, fake: FakeLLM, no_conversations_left: None
) -> None:
    fake.push(Script.text("Try ACADEMY DINOSAUR."), Script.text("It is rated PG."))
    first = ask_server(live_server_url, question="Suggest a documentary")
    conversation_id = first[0][1]["conversation"]
    # A server started after the conversation began: only PostgreSQL can have it.
    name = connection.settings_dict["NAME"]
    with running_server(database_name=name, workers=1, env=model_env(fake)) as url:
        second = ask_server(url, question="What is it rated?", conversation=conversation_id)
    assert second[-1] == ("complete", {"status": "completed"})
    messages = fake.chat_requests[-1]["messages"][1:]
    assert [(m["role"], m["content"]) for m in messages] == [
        ("user", "Suggest a documentary"),
        ("assistant", "Try ACADEMY DINOSAUR."),
        ("user", "What is it rated?"),
    ]
