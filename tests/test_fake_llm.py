"""The fake LLM server driven by the real openai SDK and Semantic Kernel over loopback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from openai import AsyncOpenAI, OpenAI
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel

from devtools.fake_llm import FakeLLM, Script, sample_for_schema, split

USER: list[ChatCompletionMessageParam] = [
    {"role": "user", "content": "Tell me about ACADEMY DINOSAUR"}
]


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


@pytest.fixture
def client(fake: FakeLLM) -> Iterator[OpenAI]:
    with OpenAI(base_url=fake.base_url, api_key="test", max_retries=0, timeout=10) as sdk:
        yield sdk


def async_client(fake: FakeLLM, **kwargs: Any) -> AsyncOpenAI:
    options: dict[str, Any] = {"max_retries": 0, "timeout": 10} | kwargs
    return AsyncOpenAI(base_url=fake.base_url, api_key="test", **options)


def stream_text(client: OpenAI, **kwargs: Any) -> list[str]:
    stream = client.chat.completions.create(model="m", messages=USER, stream=True, **kwargs)
    return [c.choices[0].delta.content for c in stream if c.choices and c.choices[0].delta.content]


def test_split_keeps_text_and_count() -> None:
    assert split("one two three four", 2) == ["one two ", "three four"]
    assert split("abc", 5) == ["a", "b", "c"]
    assert "".join(split("Fake answer to: hi", 20)) == "Fake answer to: hi"


def test_models_and_base_url(fake: FakeLLM, client: OpenAI) -> None:
    assert fake.base_url == f"http://127.0.0.1:{fake.port}/v1"
    assert [m.id for m in client.models.list()] == ["fake-model"]


def test_async_streaming_text_arrives_in_scripted_chunks(fake: FakeLLM) -> None:
    fake.push(Script.text(["Academy ", "Dinosaur ", "is epic."], delay=0.01))

    async def run() -> list[str]:
        async with async_client(fake) as sdk:
            stream = await sdk.chat.completions.create(model="m", messages=USER, stream=True)
            return [c.choices[0].delta.content or "" async for c in stream]

    assert asyncio.run(run()) == ["", "Academy ", "Dinosaur ", "is epic.", ""]
    assert fake.chat_requests[0]["stream"] is True
    assert fake.requests[0].headers["authorization"] == "Bearer test"
    assert fake.wait_for(lambda: fake.open_connections == 0)
    assert fake.cancelled_streams == 0


def test_keep_alive_connection_is_reused(fake: FakeLLM) -> None:
    async def run() -> list[str]:
        async with async_client(fake) as sdk:
            answers = []
            for _ in range(3):
                stream = await sdk.chat.completions.create(model="m", messages=USER, stream=True)
                answers.append("".join([c.choices[0].delta.content or "" async for c in stream]))
            reply = await sdk.chat.completions.create(model="m", messages=USER)
            answers.append(reply.choices[0].message.content or "")
            assert fake.open_sockets == 1
            return answers

    assert asyncio.run(run()) == ["Fake answer to: Tell me about ACADEMY DINOSAUR"] * 4
    assert fake.sockets_accepted == 1
    assert fake.wait_for(lambda: fake.open_sockets == 0)


def test_non_streaming_and_default_answer(fake: FakeLLM, client: OpenAI) -> None:
    fake.push(Script.text("A scripted answer."))
    first = client.chat.completions.create(model="gpt-x", messages=USER)
    assert first.choices[0].message.content == "A scripted answer."
    assert first.choices[0].finish_reason == "stop"
    assert first.model == "gpt-x" and first.usage is not None
    second = client.chat.completions.create(model="m", messages=USER)
    assert second.choices[0].message.content == "Fake answer to: Tell me about ACADEMY DINOSAUR"
    assert stream_text(client) == split("Fake answer to: Tell me about ACADEMY DINOSAUR", 3)


def test_stream_usage_chunk_only_when_asked(fake: FakeLLM, client: OpenAI) -> None:
    chunks = list(
        client.chat.completions.create(
            model="m", messages=USER, stream=True, stream_options={"include_usage": True}
        )
    )
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens > 0
    plain = list(client.chat.completions.create(model="m", messages=USER, stream=True))
    assert all(c.usage is None and c.choices for c in plain)


def test_tool_call_round_trip_streaming(fake: FakeLLM, client: OpenAI) -> None:
    fake.push(
        Script.tool_call("get_film", {"film_id": 1}, chunks=4),
        Script.text("ACADEMY DINOSAUR is a PG epic."),
    )
    tools: list[Any] = [
        {
            "type": "function",
            "function": {
                "name": "get_film",
                "parameters": {"type": "object", "properties": {"film_id": {"type": "integer"}}},
            },
        }
    ]
    calls: dict[int, dict[str, str]] = {}
    finish = None
    stream = client.chat.completions.create(model="m", messages=USER, tools=tools, stream=True)
    for chunk in stream:
        choice = chunk.choices[0]
        finish = choice.finish_reason or finish
        for delta in choice.delta.tool_calls or []:
            call = calls.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
            call["id"] += delta.id or ""
            assert delta.function is not None
            call["name"] += delta.function.name or ""
            call["arguments"] += delta.function.arguments or ""
    assert finish == "tool_calls"
    assert calls[0]["name"] == "get_film" and json.loads(calls[0]["arguments"]) == {"film_id": 1}

    call = calls[0]
    messages: list[Any] = [
        *USER,
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": call["id"],
                    "type": "function",
                    "function": {"name": call["name"], "arguments": call["arguments"]},
                }
            ],
        },
        {"role": "tool", "tool_call_id": call["id"], "content": '{"rating": "PG"}'},
    ]
    answer = client.chat.completions.create(model="m", messages=messages, tools=tools)
    assert answer.choices[0].message.content == "ACADEMY DINOSAUR is a PG epic."
    assert fake.chat_requests[1]["messages"][-1]["role"] == "tool"
    assert fake.chat_requests[1]["messages"][-1]["tool_call_id"] == call["id"]


def test_tool_call_non_streaming(fake: FakeLLM, client: OpenAI) -> None:
    fake.push(Script.tool_calls([("a", {"x": 1}), ("b", '{"y": 2}')]))
    result = client.chat.completions.create(model="m", messages=USER)
    choice = result.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.tool_calls is not None
    got = [
        (t.function.name, json.loads(t.function.arguments))
        for t in choice.message.tool_calls
        if t.type == "function"
    ]
    assert got == [("a", {"x": 1}), ("b", {"y": 2})]


class FilmSummary(BaseModel):
    title: str
    year: int
    tags: list[str]


def test_json_schema_response(fake: FakeLLM, client: OpenAI) -> None:
    fake.push(Script.json({"title": "ACADEMY DINOSAUR", "year": 2006, "tags": ["epic"]}))
    parsed = client.chat.completions.parse(model="m", messages=USER, response_format=FilmSummary)
    assert parsed.choices[0].message.parsed == FilmSummary(
        title="ACADEMY DINOSAUR", year=2006, tags=["epic"]
    )
    assert fake.chat_requests[0]["response_format"]["type"] == "json_schema"
    # No script queued: the default answer satisfies the (simple) schema.
    default = client.chat.completions.parse(model="m", messages=USER, response_format=FilmSummary)
    assert default.choices[0].message.parsed == FilmSummary(title="fake", year=0, tags=[])


def test_sample_for_schema_handles_refs_and_enums() -> None:
    schema = {
        "type": "object",
        "properties": {
            "kind": {"enum": ["G", "PG"]},
            "film": {"$ref": "#/$defs/Film"},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
        "$defs": {"Film": {"type": "object", "properties": {"ok": {"type": "boolean"}}}},
    }
    assert sample_for_schema(schema) == {"kind": "G", "film": {"ok": False}, "note": "fake"}
    assert sample_for_schema({}) == {}


def test_http_errors_map_to_sdk_exceptions(fake: FakeLLM, client: OpenAI) -> None:
    fake.push(Script.error(500), Script.error(429, "slow down", retry_after=7))
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="m", messages=USER, stream=True)
    with pytest.raises(openai.RateLimitError) as excinfo:
        client.chat.completions.create(model="m", messages=USER)
    assert excinfo.value.response.headers["retry-after"] == "7"
    assert "slow down" in str(excinfo.value)


def test_hang_times_out_and_server_sees_client_leave(fake: FakeLLM) -> None:
    fake.push(Script.hang())
    sdk = OpenAI(base_url=fake.base_url, api_key="t", max_retries=0, timeout=0.3)
    with sdk, pytest.raises(openai.APITimeoutError):
        sdk.chat.completions.create(model="m", messages=USER, stream=True)
    assert fake.wait_for(lambda: fake.cancelled_streams == 1 and fake.open_connections == 0)


def test_malformed_chunk_raises_while_iterating(fake: FakeLLM, client: OpenAI) -> None:
    fake.push(Script.malformed(after=1))
    received = []
    with pytest.raises(json.JSONDecodeError):
        for chunk in client.chat.completions.create(model="m", messages=USER, stream=True):
            received.append(chunk)
    assert len(received) == 2  # the role chunk and one content chunk
    assert fake.wait_for(lambda: fake.open_connections == 0)


def test_cut_connection_raises(fake: FakeLLM) -> None:
    fake.push(Script.cut(after=2, text="one two three four"))

    async def run() -> list[str]:
        got: list[str] = []
        async with async_client(fake) as sdk:
            stream = await sdk.chat.completions.create(model="m", messages=USER, stream=True)
            with pytest.raises(openai.APIConnectionError):
                async for chunk in stream:
                    got.append(chunk.choices[0].delta.content or "")
        return got

    assert asyncio.run(run()) == ["", "one ", "two "]
    assert fake.wait_for(lambda: fake.open_connections == 0 and fake.open_sockets == 0)
    assert fake.cancelled_streams == 0


def test_client_closing_stream_early_is_seen_as_cancelled(fake: FakeLLM) -> None:
    fake.push(Script.text("word " * 40, chunks=40, delay=0.02))

    async def run() -> None:
        async with async_client(fake) as sdk:
            stream = await sdk.chat.completions.create(model="m", messages=USER, stream=True)
            async for chunk in stream:
                if chunk.choices[0].delta.content:
                    break
            assert fake.open_connections == 1
            await stream.close()

    asyncio.run(run())
    assert fake.wait_for(lambda: fake.cancelled_streams == 1)
    assert fake.wait_for(lambda: fake.open_connections == 0 and fake.open_sockets == 0)


def test_responder_computes_answer_from_request(fake: FakeLLM, client: OpenAI) -> None:
    def responder(body: dict[str, Any]) -> Script | None:
        prompt = body["messages"][-1]["content"]
        return Script.text(f"Summary of {prompt.split()[-1]}") if "about" in prompt else None

    fake.responder = responder
    fake.push(Script.text("queued first"))
    assert "".join(stream_text(client)) == "queued first"
    assert "".join(stream_text(client)) == "Summary of DINOSAUR"
    other: list[ChatCompletionMessageParam] = [{"role": "user", "content": "hi"}]
    reply = client.chat.completions.create(model="m", messages=other)
    assert reply.choices[0].message.content == "Fake answer to: hi"


def test_many_concurrent_streams(fake: FakeLLM) -> None:
    fake.chunk_delay = 0.01

    async def run() -> list[str]:
        async with async_client(fake) as sdk:

            async def one(i: int) -> str:
                messages: Any = [{"role": "user", "content": f"q{i}"}]
                stream = await sdk.chat.completions.create(
                    model="m", messages=messages, stream=True
                )
                return "".join([c.choices[0].delta.content or "" async for c in stream])

            return await asyncio.gather(*(one(i) for i in range(100)))

    assert asyncio.run(run()) == [f"Fake answer to: q{i}" for i in range(100)]
    assert fake.max_open_connections > 10
    assert fake.wait_for(lambda: fake.open_connections == 0 and fake.open_sockets == 0)


def test_semantic_kernel_streaming_and_auto_function_calling(fake: FakeLLM) -> None:
    from semantic_kernel import Kernel
    from semantic_kernel.connectors.ai import FunctionChoiceBehavior
    from semantic_kernel.connectors.ai.open_ai import (
        OpenAIChatCompletion,
        OpenAIChatPromptExecutionSettings,
    )
    from semantic_kernel.contents import ChatHistory, FunctionCallContent
    from semantic_kernel.functions import kernel_function

    class Films:
        @kernel_function(name="get_film", description="Look a film up by id.")
        def get_film(self, film_id: int) -> str:
            return json.dumps({"film_id": film_id, "title": "ACADEMY DINOSAUR"})

    fake.push(
        Script.text(["Hello ", "from ", "SK."]),
        Script.tool_call("films-get_film", {"film_id": 1}),
        Script.text(["It is ", "ACADEMY DINOSAUR."]),
    )

    async def run() -> tuple[list[str], list[str], list[Any]]:
        async with async_client(fake) as sdk:
            service = OpenAIChatCompletion(ai_model_id="fake-model", async_client=sdk)
            history = ChatHistory()
            history.add_user_message("Say hello")
            plain = [
                str(msgs[0])
                async for msgs in service.get_streaming_chat_message_contents(
                    history, OpenAIChatPromptExecutionSettings()
                )
            ]
            kernel = Kernel()
            kernel.add_plugin(Films(), plugin_name="films")
            settings = OpenAIChatPromptExecutionSettings(
                function_choice_behavior=FunctionChoiceBehavior.Auto()
            )
            tool_history = ChatHistory()
            tool_history.add_user_message("Which film is id 1?")
            seen: list[Any] = []
            texts: list[str] = []
            async for msgs in service.get_streaming_chat_message_contents(
                tool_history, settings, kernel=kernel
            ):
                seen += [i for m in msgs for i in m.items if isinstance(i, FunctionCallContent)]
                texts += [str(m) for m in msgs if m.role == "assistant" and str(m)]
            return plain, texts, seen

    plain, texts, calls = asyncio.run(run())
    assert "".join(plain) == "Hello from SK."
    assert "".join(texts) == "It is ACADEMY DINOSAUR."
    assert {c.name for c in calls if c.name} == {"films-get_film"}
    first, tool_turn, final = fake.chat_requests
    assert first["stream_options"] == {"include_usage": True}
    assert tool_turn["tools"][0]["function"]["name"] == "films-get_film"
    tool_message = final["messages"][-1]
    assert tool_message["role"] == "tool" and "ACADEMY DINOSAUR" in tool_message["content"]
    assert fake.wait_for(lambda: fake.open_connections == 0)
