"""The ask endpoint's Server-Sent Events: start, the answer's pieces, its sources, the end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import structlog

from assistant.conversations import OpenConversation, turn_record
from assistant.database import database_call
from assistant.errors import upstream_error_for
from assistant.models import Turn
from assistant.sources import as_json
from pagila_site.api.errors import problem_for_exception

logger = structlog.get_logger("pagila.assistant")

# What writes an answer: (question, earlier turns, films cited) -> its pieces as they come.
Answer = Callable[[str, Sequence[Turn], dict[int, dict[str, Any]]], AsyncIterator[str]]

ASK_EVENTS = """Server-Sent Events, one JSON object per `data:` line:

- `event: start` `{"status": "processing", "conversation": "<id>"}` at once; after `complete`,
  pass the id back as `conversation` to ask a follow-up in the same conversation (a new
  conversation is stored with its first answer: while that is unfinished, or after it failed,
  its id names no conversation);
- `event: message` `{"content": "<text>"}` for each piece of the answer as the model writes it;
- `event: sources` `{"films": [{"film_id", "title", "rental_rate", "rating"}]}` once, before
  `complete`, when the answer came from catalogue films (clients may ignore it);
- `event: complete` `{"status": "completed"}` at the end (the turn is stored by then);
- or `event: error` `{"code", "message"}` and the stream ends (the turn is not stored, nor a
  conversation it would have started). Codes:
  `upstream_timeout`, `upstream_rate_limited`, `upstream_unavailable` (unreachable or cut),
  `upstream_malformed`, `upstream_error` (the model server's 5xx), `assistant_error`.

Offline (no model configured) the answer says which filters it understood in the question
(category, rating, price, length, actor, title words) and lists the films they select."""
# Each event of the stream as a schema (Open API 3.0: the SSE response schema is one event).
ASK_EVENT_SCHEMA = {
    "type": "object",
    "description": "One Server-Sent Event; `data` is a JSON object as described above.",
    "properties": {
        "event": {"type": "string", "enum": ["start", "message", "sources", "complete", "error"]},
        "data": {"type": "string"},
    },
    "required": ["event", "data"],
}


def sse(event: str, data: dict[str, Any]) -> bytes:
    """One Server-Sent Event."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


def _error_event(exc: Exception, log: Any) -> bytes:
    upstream = upstream_error_for(exc)
    known = problem_for_exception(exc)
    if upstream is not None:
        log.warning("model request failed", code=upstream.code, error=repr(exc))
        code, message = upstream.code, upstream.detail
    elif known is not None:
        log.warning("assistant stream failed", code=known["code"], error=repr(exc))
        code, message = known["code"], known["detail"]
    else:
        log.exception("assistant stream failed")
        code, message = "assistant_error", "The assistant failed unexpectedly."
    return sse("error", {"code": code, "message": message})


async def ask_events(
    question: str,
    thread: OpenConversation,
    request_id: str | None,
    answer: Answer | None = None,
) -> AsyncIterator[bytes]:
    """start, one message per piece of the answer, sources, then complete; or error and the end.

    `answer` writes it: the public assistant's when None, the staff assistant's for staff.

    The turn is stored once the answer is whole, before `complete`: a follow-up asked as soon
    as `complete` arrives sees it.
    """
    from assistant.services import answer_chunks  # Semantic Kernel (see SERVER_PRELOAD)

    log = logger.bind(request_id=request_id)
    yield sse("start", {"status": "processing", "conversation": thread.conversation_id})
    pieces: list[str] = []
    cited: dict[int, dict[str, Any]] = {}
    try:
        async for text in (answer or answer_chunks)(question, thread.earlier, cited):
            pieces.append(text)
            yield sse("message", {"content": text})
        films = as_json(cited)
        await database_call(turn_record)(
            conversation=thread.conversation,
            question=question,
            answer="".join(pieces),
            sources=films,
        )
    except asyncio.CancelledError:
        log.info("client left; the model request is cancelled")
        raise
    except Exception as exc:
        yield _error_event(exc, log)
        return
    if films:
        yield sse("sources", {"films": films})
    yield sse("complete", {"status": "completed"})
