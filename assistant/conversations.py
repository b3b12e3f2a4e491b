"""Conversations: started, found for their creator, trimmed for the model, extended, expired."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from assistant.models import Conversation, Turn
from pagila_site.api.errors import NotFound

# Bytes of randomness in a conversation id (32 URL-safe characters, as schemas'
# CONVERSATION_ID_PATTERN says: 192 bits, unguessable).
ID_BYTES = 24


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _owner_hash(session_key: str | None) -> str:
    return _digest(session_key) if session_key else ""


def expiry_cutoff(now: datetime | None = None) -> datetime:
    """Conversations last touched before this have expired."""
    return (now or timezone.now()) - timedelta(hours=settings.AI_CONVERSATION_HOURS)


def conversation_get(*, conversation_id: str, session_key: str | None) -> Conversation:
    """The live conversation with this id created by this session (or by no session).

    NotFound when there is none, when it has expired, and when another client created it:
    the three are not told apart, so an id cannot be probed.
    """
    conversation = Conversation.objects.filter(
        id_hash=_digest(conversation_id),
        owner_hash=_owner_hash(session_key),
        updated_at__gte=expiry_cutoff(),
    ).first()
    if conversation is None:
        raise NotFound("No conversation with this id is open to you; start a new one.")
    return conversation


@dataclass(frozen=True)
class OpenConversation:
    """A conversation ready for its next question: its id and the earlier turns to show."""

    conversation: Conversation
    conversation_id: str
    earlier: list[Turn]


def conversation_start(*, session_key: str | None) -> OpenConversation:
    """A new conversation bound to the session (if any), with its id, which only the caller gets.

    Nothing is written yet: turn_record stores the conversation together with its first turn.
    So a stream starts without waiting for the database (with a thousand asks at once, that
    wait came before every first byte), and a first answer that fails or is abandoned leaves
    no row behind: its id then names no conversation (a follow-up with it is a 404).
    """
    conversation_id = secrets.token_urlsafe(ID_BYTES)
    conversation = Conversation(
        id_hash=_digest(conversation_id), owner_hash=_owner_hash(session_key)
    )
    return OpenConversation(conversation, conversation_id, [])


def conversation_continue(*, conversation_id: str, session_key: str | None) -> OpenConversation:
    """The stored conversation `conversation_id` names (NotFound, see conversation_get)."""
    conversation = conversation_get(conversation_id=conversation_id, session_key=session_key)
    return OpenConversation(conversation, conversation_id, history(conversation))


def history(conversation: Conversation) -> list[Turn]:
    """The latest turns, oldest first, whose questions and answers fit in AI_HISTORY_CHARS."""
    kept: list[Turn] = []
    budget = settings.AI_HISTORY_CHARS
    for turn in conversation.turns.order_by("-id").iterator(chunk_size=20):
        budget -= len(turn.question) + len(turn.answer)
        if budget < 0:
            break
        kept.append(turn)
    return kept[::-1]


# The turn's INSERT, taking its conversation's id from the CTE `c` written before it: when `c`
# writes no row, neither does the INSERT. Params: question, answer, sources, created_at.
TURN_INSERT = """
INSERT INTO assistant_turn (conversation_id, question, answer, sources, created_at)
SELECT c.id, %s, %s, %s, %s FROM c
RETURNING id, conversation_id"""
# turn_record's two statements. Params: id_hash, owner_hash, created_at, updated_at, then the
# turn's.
NEW_CONVERSATION_TURN_SQL = (
    "WITH c AS (INSERT INTO assistant_conversation (id_hash, owner_hash, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s) RETURNING id)" + TURN_INSERT
)
# Params: updated_at, the conversation's id, then the turn's.
NEXT_TURN_SQL = (
    "WITH c AS (UPDATE assistant_conversation SET updated_at = %s WHERE id = %s RETURNING id)"  # noqa: S608
    + TURN_INSERT
)


def turn_record(
    *, conversation: Conversation, question: str, answer: str, sources: list[dict[str, Any]]
) -> int:
    """Store a finished turn: a new conversation with it, or an old one's expiry moved on; the
    new turn's id.

    One statement, so one round trip at the end of every answer (with a thousand streams, the
    BEGIN, two writes and COMMIT of an atomic block added up): the conversation's INSERT or
    UPDATE is a CTE whose id the turn's INSERT takes, and a statement is atomic by itself.
    Inside a caller's transaction it takes no savepoint: a failure aborts that transaction.

    The timestamps are Python's timezone.now(), as auto_now and auto_now_add would write (one
    instant for all of them); expiry_cutoff counts on the same clock, and the database's
    now() would stand still for a whole transaction. `conversation` gets its pk, timestamps
    and saved state only once the row is written. A conversation deleted meanwhile (expired
    while the answer was written) gets no turn: DatabaseError, as save(update_fields) raised.
    """
    now = timezone.now()
    new = conversation.pk is None  # conversation_start's: stored with its first turn
    params: list[Any]
    if new:
        sql = NEW_CONVERSATION_TURN_SQL
        params = [conversation.id_hash, conversation.owner_hash, now, now]
    else:
        sql, params = NEXT_TURN_SQL, [now, conversation.pk]
    # jsonb, encoded as the JSONField encodes it (psycopg's Jsonb with the field's encoder).
    stored_sources = Turn._meta.get_field("sources").get_db_prep_save(sources, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, question, answer, stored_sources, now])
        row = cursor.fetchone()
    if row is None:
        raise DatabaseError(f"Conversation {conversation.pk} is gone; its turn is not stored.")
    turn_id, conversation_id = row
    if new:
        conversation.pk, conversation.created_at = conversation_id, now
        conversation._state.adding, conversation._state.db = False, connection.alias
    conversation.updated_at = now
    return int(turn_id)


def conversations_expire(now: datetime | None = None) -> int:
    """Delete the expired conversations with their turns; the number of conversations deleted."""
    _, by_model = Conversation.objects.filter(updated_at__lt=expiry_cutoff(now)).delete()
    return by_model.get(Conversation._meta.label, 0)
