"""The assistant's Semantic Kernel, built once per process from settings, its reset hook, and
the staff kernel built around it per staff request."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import pydantic
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from openai import AsyncOpenAI, DefaultAsyncHttpxClient
from openai.types.chat import ChatCompletionChunk
from semantic_kernel import Kernel
from semantic_kernel.connectors.ai.open_ai import (
    OpenAIChatCompletion,
    OpenAIChatPromptExecutionSettings,
)

from assistant import store_plugin
from assistant.offline import is_offline
from assistant.plugins import PLUGIN_NAME, CataloguePlugin

# The settings the kernel is built from; changing any of them (tests do) drops the built kernels.
KERNEL_SETTINGS = frozenset(
    {"OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "AI_TIMEOUT", "AI_MAX_RETRIES"}
)
OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Local OpenAI-compatible servers (Ollama, llama.cpp, ...) ignore the key but the SDK wants one.
PLACEHOLDER_API_KEY = "not-needed"


class OpenAIClient(AsyncOpenAI):
    """The SDK's async client, except that a streamed chunk is read by pydantic's validator.

    For every chunk of a streamed answer the SDK builds a ChatCompletionChunk with its own
    lenient, pure-Python construction: about 80 microseconds, a fifth of the CPU a streamed
    answer costs this server (`bench/RESULTS.md`). pydantic's validation builds an equal model
    in about 3. A chunk that does not fit the SDK's types (some OpenAI-compatible servers leave
    fields out) still gets the SDK's construction, so nothing a server sends is refused here.
    Overrides the SDK's `_process_response_data`, which its streams call for each chunk:
    tests/pagila_site/test_pinned_internals.py pins the SDK code this relies on, and
    tests/assistant/test_kernel.py counts the SDK's own constructions.
    """

    def _process_response_data(self, *, data: object, cast_to: Any, response: Any) -> Any:
        if cast_to is ChatCompletionChunk and isinstance(data, dict):
            with contextlib.suppress(pydantic.ValidationError):
                return ChatCompletionChunk.model_validate(data)
        return super()._process_response_data(data=data, cast_to=cast_to, response=response)


@dataclass(frozen=True)
class AssistantKernel:
    """The kernel with the catalogue plugin, and its chat service (None in offline mode)."""

    kernel: Kernel
    chat: OpenAIChatCompletion | None
    model: str

    @property
    def offline(self) -> bool:
        return self.chat is None


def build_kernel() -> AssistantKernel:
    """A new kernel from the current settings (get_kernel caches it; call that instead)."""
    kernel = Kernel()
    kernel.add_plugin(CataloguePlugin(), plugin_name=PLUGIN_NAME)
    if is_offline():
        return AssistantKernel(kernel=kernel, chat=None, model="")
    client = OpenAIClient(
        api_key=settings.OPENAI_API_KEY or PLACEHOLDER_API_KEY,
        base_url=settings.OPENAI_BASE_URL or OPENAI_DEFAULT_BASE_URL,
        timeout=settings.AI_TIMEOUT,
        max_retries=settings.AI_MAX_RETRIES,
        # Our own pool rather than the SDK's, which on garbage collection schedules its own
        # closing on whatever loop is running then: wrong for a pool of a finished loop.
        http_client=DefaultAsyncHttpxClient(timeout=settings.AI_TIMEOUT),
    )
    chat = OpenAIChatCompletion(ai_model_id=settings.OPENAI_MODEL, async_client=client)
    kernel.add_service(chat)
    return AssistantKernel(kernel=kernel, chat=chat, model=settings.OPENAI_MODEL)


# One kernel per event loop: the OpenAI client's pooled connections belong to the loop that
# opened them. A server process runs one loop, so this is one kernel per process.
_kernels: WeakKeyDictionary[asyncio.AbstractEventLoop, AssistantKernel] = WeakKeyDictionary()


def get_kernel() -> AssistantKernel:
    """The kernel of this process (built on first use); call it from async code."""
    loop = asyncio.get_running_loop()
    built = _kernels.get(loop)
    if built is None:
        built = _kernels[loop] = build_kernel()
    return built


def staff_kernel(assistant: AssistantKernel, user: store_plugin.StaffUser) -> AssistantKernel:
    """A kernel for one staff request: the catalogue functions and the store's, bound to `user`.

    A new Kernel around the process's catalogue plugin and chat service; the process's kernel,
    which answers the public, is never changed, so it can never offer the store functions.
    Reading StorePlugin's functions costs about a millisecond, paid by staff requests only.
    """
    kernel = Kernel(plugins=[assistant.kernel.get_plugin(PLUGIN_NAME)])
    kernel.add_plugin(store_plugin.StorePlugin(user), plugin_name=store_plugin.PLUGIN_NAME)
    if assistant.chat is not None:
        kernel.add_service(assistant.chat)
    return AssistantKernel(kernel=kernel, chat=assistant.chat, model=assistant.model)


def reset_kernels() -> None:
    """Forget the built kernels, so the next get_kernel() reads the settings again."""
    _kernels.clear()


@receiver(setting_changed)
def _rebuild_on_settings_change(*, setting: str, **kwargs: Any) -> None:
    if setting in KERNEL_SETTINGS:
        reset_kernels()


def chat_settings(**options: Any) -> OpenAIChatPromptExecutionSettings:
    """Execution settings with the configured answer size; `options` add or override fields."""
    return OpenAIChatPromptExecutionSettings(max_tokens=settings.AI_MAX_TOKENS, **options)
