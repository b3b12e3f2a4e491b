"""The model's streamed text as an async iterator that cancels the upstream request on close."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import operator
from collections.abc import AsyncIterator
from dataclasses import dataclass

from semantic_kernel.connectors.ai.open_ai import OpenAIChatPromptExecutionSettings
from semantic_kernel.contents import ChatHistory, FunctionCallContent, StreamingChatMessageContent
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
    *,
    tool_rounds: int = 1,
) -> AsyncIterator[str]:
    """The assistant's text pieces as the model writes them, its function calls run in between
    (at most `tool_rounds` rounds of them, see model_rounds).

    The model runs in a task of its own that feeds a queue. However this iterator ends
    (finished, failed, closed early, or cancelled because the client left), that task is
    cancelled and awaited: the openai SDK then closes the upstream HTTP response, so the model
    server sees the request abandoned at once, not whenever garbage collection gets to it.
    Upstream failures are raised here as the SDK (or SK) raised them. The task, and so the
    kernel functions the model calls, run in `context` when one is given.
    """
    # Bounded: when the client reads slowly, the producer waits here and stops reading the
    # model's stream, so TCP holds the model back instead of this process buffering its text.
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=QUEUE_PIECES)

    async def produce() -> None:
        try:
            async for text in model_rounds(assistant, history, settings, tool_rounds):
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


async def model_rounds(
    assistant: AssistantKernel,
    history: ChatHistory,
    settings: OpenAIChatPromptExecutionSettings,
    tool_rounds: int,
) -> AsyncIterator[str]:
    """The model's text, round after round: when a round ends in tool calls, the kernel runs
    them (their results go into `history`) and the model is asked again, at most `tool_rounds`
    times in all, as Semantic Kernel's auto-invocation would.

    Semantic Kernel's own loop keeps every streamed message of a round until the round ends, to
    rebuild its tool calls: with a thousand answers streaming, over a million objects that each
    full garbage collection walked, 0.1-1 s at a time (bench/RESULTS.md). Here text goes out as
    it comes and only the messages that carry a piece of a tool call are kept. `settings` must
    not auto-invoke (`FunctionChoiceBehavior.Auto(auto_invoke=False)`); its behaviour's filters
    still say which functions the kernel runs.
    """
    chat, kernel = assistant.chat, assistant.kernel
    assert chat is not None, "callers answer offline mode themselves"
    behaviour = settings.function_choice_behavior
    for round_index in range(tool_rounds):
        call_pieces: list[StreamingChatMessageContent] = []
        async for messages in chat.get_streaming_chat_message_contents(
            history, settings, kernel=kernel
        ):
            for message in messages:
                if any(isinstance(item, FunctionCallContent) for item in message.items):
                    call_pieces.append(message)
                elif message.role == AuthorRole.ASSISTANT and (text := str(message)):
                    yield text
        if not call_pieces:
            return
        calls_message = functools.reduce(operator.add, call_pieces)
        history.add_message(calls_message)
        calls = [item for item in calls_message.items if isinstance(item, FunctionCallContent)]
        await asyncio.gather(
            *(
                kernel.invoke_function_call(
                    function_call=call,
                    chat_history=history,
                    execution_settings=settings,
                    function_call_count=len(calls),
                    request_index=round_index,
                    is_streaming=True,
                    function_behavior=behaviour,
                )
                for call in calls
            )
        )
