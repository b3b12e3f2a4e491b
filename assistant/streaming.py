"""The model's streamed text as an async iterator that cancels the upstream request on close."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import AsyncIterator
from dataclasses import dataclass

from semantic_kernel.connectors.ai.open_ai import OpenAIChatPromptExecutionSettings
from semantic_kernel.contents import ChatHistory
from semantic_kernel.contents.utils.author_role import AuthorRole

from assistant.kernel import AssistantKernel


@dataclass(frozen=True)
class _Failed:
    error: BaseException


_DONE = object()
# Pieces of text held between the model and a slow client before the model is made to wait.
QUEUE_PIECES = 64


async def model_text(
    assistant: AssistantKernel,
    history: ChatHistory,
    settings: OpenAIChatPromptExecutionSettings,
    context: contextvars.Context | None = None,
) -> AsyncIterator[str]:
    """The assistant's text pieces as the model writes them, its function calls run in between.

    Semantic Kernel runs in a task of its own that feeds a queue. However this iterator ends
    (finished, failed, closed early, or cancelled because the client left), that task is
    cancelled and awaited: the openai SDK then closes the upstream HTTP response, so the model
    server sees the request abandoned at once, not whenever garbage collection gets to it.
    Upstream failures are raised here as the SDK (or SK) raised them. The task, and so the
    kernel functions the model calls, run in `context` when one is given.
    """
    chat = assistant.chat
    assert chat is not None, "callers answer offline mode themselves"
    # Bounded: when the client reads slowly, the producer waits here and stops reading the
    # model's stream, so TCP holds the model back instead of this process buffering its text.
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=QUEUE_PIECES)

    async def produce() -> None:
        try:
            async for messages in chat.get_streaming_chat_message_contents(
                history, settings, kernel=assistant.kernel
            ):
                for message in messages:
                    # Tool-call deltas and function results come through too: text only.
                    if message.role == AuthorRole.ASSISTANT and (text := str(message)):
                        await queue.put(text)
        except Exception as exc:
            await queue.put(_Failed(exc))
        else:
            await queue.put(_DONE)

    producer = asyncio.create_task(produce(), name="assistant-model-stream", context=context)
    try:
        while (item := await queue.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            assert isinstance(item, str)
            yield item
    finally:
        producer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await producer
