"""Conversations on GET /api/v1/ai/ask: ids, earlier turns sent to the model, owners, expiry."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.management import call_command
from django.test import AsyncClient
from django.utils import timezone

from assistant.models import Conversation, Turn
from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import START, ask, parse_events
from tests.clients import ASK_URL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_conversations")]


def browser() -> AsyncClient:
    """A client that opened the assistant page, so it holds a session cookie."""
    client = AsyncClient()
    assert async_to_sync(client.get)("/assistant/").status_code == 200
    assert client.cookies["sessionid"].value
    return client


def sent_messages(fake: FakeLLM) -> list[tuple[str, str]]:
    """(role, content) of every message of the model's last request, the system prompt left out."""
    return [(m["role"], m["content"]) for m in fake.chat_requests[-1]["messages"][1:]]


def test_a_new_conversation_is_stored_under_the_hash_of_its_id(model: FakeLLM) -> None:
    model.push(Script.text(["Yes, ", "58 comedies."]))
    streamed = ask("Do you have comedies?")
    assert streamed.events[0] == START and streamed.events[-1][0] == "complete"
    conversation_id = streamed.conversation
    conversation = Conversation.objects.get()
    assert conversation.id_hash == hashlib.sha256(conversation_id.encode()).hexdigest()
    assert conversation.owner_hash == ""  # no session: the id alone is the credential
    assert not Conversation.objects.filter(id_hash=conversation_id).exists()
    (turn,) = conversation.turns.all()
    assert (turn.question, turn.answer, turn.sources) == (
        "Do you have comedies?",
        "Yes, 58 comedies.",
        [],
    )


def test_a_follow_up_sends_the_earlier_turns_to_the_model(model: FakeLLM) -> None:
    model.push(Script.text("Try ACADEMY DINOSAUR."), Script.text("It is rated PG."))
    first = ask("Suggest a documentary")
    second = ask("What is it rated?", conversation=first.conversation)
    assert second.events[0] == (
        "start",
        {"status": "processing", "conversation": first.conversation},
    )
    assert sent_messages(model) == [
        ("user", "Suggest a documentary"),
        ("assistant", "Try ACADEMY DINOSAUR."),
        ("user", "What is it rated?"),
    ]
    assert list(Turn.objects.values_list("question", flat=True)) == [
        "Suggest a documentary",
        "What is it rated?",
    ]
    assert Conversation.objects.count() == 1


def test_earlier_turns_are_trimmed_to_the_character_budget(model: FakeLLM, settings) -> None:
    settings.AI_HISTORY_CHARS = 30  # one short turn of 12 + 12 characters fits, two do not
    model.push(Script.text("First answ."), Script.text("Second ansr."), Script.text("Third."))
    conversation_id = ask("First quest.").conversation
    ask("Second qst.", conversation=conversation_id)
    ask("Third?", conversation=conversation_id)
    assert sent_messages(model) == [
        ("user", "Second qst."),
        ("assistant", "Second ansr."),
        ("user", "Third?"),
    ]


@pytest.mark.parametrize("bad_id", ["abc", "x" * 33, "!" * 32, "A" * 31 + "/"])
def test_a_malformed_id_is_a_400_before_the_stream(model: FakeLLM, bad_id: str) -> None:
    response = ask("Hello", conversation=bad_id).response
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert not model.chat_requests and not Conversation.objects.exists()


def test_an_unknown_id_is_a_404_before_the_stream(model: FakeLLM) -> None:
    response = ask("Hello", conversation="A" * 32).response
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert not model.chat_requests and not Turn.objects.exists()


def test_another_client_cannot_continue_a_browsers_conversation(model: FakeLLM) -> None:
    owner = browser()
    conversation_id = ask("Suggest a comedy", client=owner).conversation
    assert Conversation.objects.get().owner_hash != ""
    for stranger in (browser(), AsyncClient()):
        response = ask("And what did I ask?", client=stranger, conversation=conversation_id)
        assert response.response.status_code == 404
    assert len(model.chat_requests) == 1 and Turn.objects.count() == 1
    again = ask("And another?", client=owner, conversation=conversation_id)
    assert again.events[-1][0] == "complete" and Turn.objects.count() == 2


def test_a_sessionless_conversation_is_not_open_to_a_browser(model: FakeLLM) -> None:
    conversation_id = ask("Suggest a comedy").conversation
    response = ask("Next?", client=browser(), conversation=conversation_id).response
    assert response.status_code == 404


def test_a_new_conversation_is_written_with_its_first_turn_not_before_the_stream(
    model: FakeLLM,
) -> None:
    model.push(Script.text(["Yes, ", "58 comedies."]))
    stored_at_start = []

    async def run() -> list[bytes]:
        response = await AsyncClient().get(ASK_URL, {"question": "Do you have comedies?"})
        parts = aiter(response.streaming_content)  # type: ignore[attr-defined]
        first = await anext(parts)
        stored_at_start.append(await sync_to_async(Conversation.objects.exists)())
        return [first] + [part async for part in parts]

    events = parse_events(b"".join(async_to_sync(run)()))
    assert events[0] == START and events[-1][0] == "complete"
    assert stored_at_start == [False]
    assert Conversation.objects.get().turns.get().answer == "Yes, 58 comedies."


def test_a_failed_first_answer_stores_nothing_and_its_id_names_no_conversation(
    model: FakeLLM,
) -> None:
    model.push(Script.error(500))
    streamed = ask("Hello")
    assert streamed.events[-1][0] == "error"
    assert not Conversation.objects.exists() and not Turn.objects.exists()
    response = ask("Hello again", conversation=streamed.conversation).response
    assert response.status_code == 404
    assert len(model.chat_requests) == 1


def test_a_failed_follow_up_keeps_the_conversation_and_stores_no_turn(model: FakeLLM) -> None:
    model.push(Script.text("Try ACADEMY DINOSAUR."), Script.error(500))
    conversation_id = ask("Suggest a documentary").conversation
    assert ask("What is it rated?", conversation=conversation_id).events[-1][0] == "error"
    assert list(Turn.objects.values_list("question", flat=True)) == ["Suggest a documentary"]
    assert ask("And its length?", conversation=conversation_id).events[-1][0] == "complete"


def test_an_expired_conversation_is_a_404_and_the_command_deletes_it(
    model: FakeLLM, settings
) -> None:
    settings.AI_CONVERSATION_HOURS = 2
    old_id = ask("Old question").conversation
    fresh_id = ask("Fresh question").conversation
    old = Conversation.objects.get(turns__question="Old question")
    Conversation.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(hours=3))
    assert ask("Still there?", conversation=old_id).response.status_code == 404
    output = io.StringIO()
    call_command("assistant_expire", stdout=output)
    assert output.getvalue().strip() == "1 expired conversation(s) deleted."
    assert list(Turn.objects.values_list("question", flat=True)) == ["Fresh question"]
    assert ask("Still here?", conversation=fresh_id).events[-1][0] == "complete"
