"""The kernel factory: built from settings, one per process (event loop), rebuilt on changes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import openai
import pytest
from asgiref.sync import async_to_sync
from openai.types.chat import ChatCompletionChunk

from assistant.kernel import AssistantKernel, get_kernel
from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import CATALOGUE_FUNCTIONS, ask


def kernels(count: int = 1) -> list[AssistantKernel]:
    """`count` calls of get_kernel() on one event loop."""

    async def run() -> list[AssistantKernel]:
        return [get_kernel() for _ in range(count)]

    return async_to_sync(run)()


def test_offline_kernel_has_the_catalogue_plugin_and_no_chat_service(offline: None) -> None:
    (built,) = kernels()
    assert built.offline and built.chat is None
    assert set(built.kernel.get_plugin("films").functions) == CATALOGUE_FUNCTIONS


def test_one_kernel_per_loop_built_from_settings(model: FakeLLM, settings: Any) -> None:
    settings.AI_TIMEOUT = 12.5
    settings.AI_MAX_RETRIES = 2
    first, again = kernels(2)
    assert first is again and not first.offline and first.model == "fake-model"
    assert first.chat is not None
    client = first.chat.client
    assert str(client.base_url) == f"{model.base_url}/"
    assert client.timeout == 12.5 and client.max_retries == 2
    assert client.api_key == "test-key"
    assert set(first.kernel.get_plugin("films").functions) == CATALOGUE_FUNCTIONS


def test_changing_a_setting_rebuilds_the_kernel(model: FakeLLM, settings: Any) -> None:
    async def run() -> tuple[AssistantKernel, AssistantKernel]:
        before = get_kernel()
        settings.OPENAI_MODEL = "other-model"  # the setting_changed hook drops built kernels
        return before, get_kernel()

    before, after = async_to_sync(run)()
    assert before is not after and after.model == "other-model"


@pytest.mark.django_db
def test_base_url_without_a_key_works_for_local_servers(model: FakeLLM, settings: Any) -> None:
    settings.OPENAI_API_KEY = ""
    assert ask("Hello").events[-1][0] == "complete"
    assert model.requests[0].headers["authorization"] == "Bearer not-needed"


def test_a_key_without_base_url_talks_to_openai(settings: Any) -> None:
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = ""
    (built,) = kernels()
    assert built.chat is not None
    assert str(built.chat.client.base_url) == "https://api.openai.com/v1/"


@pytest.fixture
def sdk_constructions(monkeypatch: pytest.MonkeyPatch) -> Counter[Any]:
    """How many models of each type the SDK built with its own lenient construction."""
    built: Counter[Any] = Counter()
    construct = openai._base_client.construct_type

    def counted(*, type_: Any, value: object) -> object:
        built[type_] += 1
        return construct(type_=type_, value=value)

    monkeypatch.setattr(openai._base_client, "construct_type", counted)
    return built


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reply", "constructed"),
    [
        # Chunks as OpenAI sends them: validated, none built by the SDK.
        (Script.text, 0),
        # Chunks without `created` and `model`, as some OpenAI-compatible servers send them:
        # validation refuses each, and the SDK's lenient construction reads it, as without us.
        # Every chunk: the role, the four pieces, the finish and the usage (SK asks for it).
        (Script.bare_text, 7),
    ],
)
def test_streamed_chunks_are_validated_and_otherwise_constructed(
    model: FakeLLM, sdk_constructions: Counter[Any], reply: Any, constructed: int
) -> None:
    model.push(reply("Comedy has 58 films.", chunks=4))
    events = ask("How many comedies are there?").events
    assert "".join(data["content"] for name, data in events if name == "message") == (
        "Comedy has 58 films."
    )
    assert events[-1][0] == "complete"
    assert sdk_constructions[ChatCompletionChunk] == constructed
