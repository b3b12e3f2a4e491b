"""turn_record: a finished turn stored in one statement, and nothing stored when it fails."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from assistant.conversations import conversation_start, turn_record
from assistant.models import Conversation, Turn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_conversations")]

# As the `sources` event sends them (assistant.sources.as_json): rental rates as strings.
DINOSAUR = {"film_id": 1, "title": "ACADEMY DINOSAUR", "rental_rate": "0.99", "rating": "PG"}


def first_turn(question: str = "Suggest a documentary") -> Conversation:
    """A new conversation stored with its first turn (as conversation_start's object)."""
    conversation = conversation_start(session_key="a-session-key").conversation
    turn_record(conversation=conversation, question=question, answer="Try it.", sources=[])
    return conversation


def test_a_first_turn_and_its_new_conversation_are_written_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    thread = conversation_start(session_key="a-session-key")
    conversation = thread.conversation
    with django_assert_num_queries(1):
        turn_id = turn_record(
            conversation=conversation,
            question="Suggest a documentary",
            answer="Try ACADEMY DINOSAUR.",
            sources=[DINOSAUR],
        )
    stored = Conversation.objects.get()
    assert stored.id_hash == hashlib.sha256(thread.conversation_id.encode()).hexdigest()
    assert stored.owner_hash == hashlib.sha256(b"a-session-key").hexdigest()
    assert (conversation.pk, conversation.updated_at) == (stored.pk, stored.updated_at)
    assert conversation.created_at == stored.created_at
    assert not conversation._state.adding
    (row,) = Turn.objects.filter(conversation=stored).values()
    assert row == {
        "id": turn_id,
        "conversation_id": stored.pk,
        "question": "Suggest a documentary",
        "answer": "Try ACADEMY DINOSAUR.",
        "sources": [DINOSAUR],
        "created_at": stored.created_at,
    }


def test_a_follow_up_turn_is_one_query_that_moves_the_conversation_on(
    django_assert_num_queries: Any,
) -> None:
    conversation = first_turn()
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Conversation.objects.filter(pk=conversation.pk).update(updated_at=an_hour_ago)
    conversation.refresh_from_db()
    with django_assert_num_queries(1):
        turn_id = turn_record(
            conversation=conversation, question="Its rating?", answer="PG.", sources=[]
        )
    stored = Conversation.objects.get()
    assert stored.updated_at > an_hour_ago
    assert stored.updated_at == conversation.updated_at == Turn.objects.get(pk=turn_id).created_at
    assert list(stored.turns.values_list("question", "answer", "sources")) == [
        ("Suggest a documentary", "Try it.", []),
        ("Its rating?", "PG.", []),
    ]


def test_a_follow_up_to_a_conversation_deleted_meanwhile_stores_nothing() -> None:
    conversation = first_turn()
    Conversation.objects.filter(pk=conversation.pk).delete()  # expired while the answer ran
    with pytest.raises(DatabaseError):
        turn_record(conversation=conversation, question="Still there?", answer="No.", sources=[])
    assert not Conversation.objects.exists() and not Turn.objects.exists()


def test_a_first_turn_the_database_refuses_leaves_no_conversation_behind() -> None:
    conversation = conversation_start(session_key=None).conversation
    unstorable = [DINOSAUR | {"title": "\x00"}]  # jsonb has no NUL character: its INSERT fails
    with pytest.raises(DatabaseError), transaction.atomic():
        turn_record(conversation=conversation, question="Hi", answer="Hello", sources=unstorable)
    assert not Conversation.objects.exists() and not Turn.objects.exists()
    assert conversation.pk is None  # still new: a retry would store it
