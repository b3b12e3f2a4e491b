"""Guards for the code that copies or reaches into a library's private behaviour.

Each override below was written against one version of a library. If an upgrade changes the
code it copies, the hash of that code changes and the test fails, naming the override to read
again against the new version (then update the hash and the pinned version here).
bench/RESULTS.md says what each override buys; `make bench-overrides` measures it.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import pytest
from django.core.handlers.asgi import ASGIHandler
from openai._base_client import BaseClient
from openai._streaming import AsyncStream
from psycopg_pool import ConnectionPool
from whitenoise.middleware import WhiteNoiseMiddleware

from assistant.kernel import OpenAIClient
from pagila_site.middleware.static_files import StaticFilesMiddleware
from pagila_site.serving.asgi_handler import OneHopASGIHandler
from pagila_site.serving.db_backend.base import DatabaseWrapper

# (override, library, version it was written against, the copied code, its source's SHA-256)
PINNED: list[tuple[type[Any], str, str, Callable[..., Any], str]] = [
    (OneHopASGIHandler, "django", "5.2.19", ASGIHandler.handle, "98faeb5bef800331"),
    (
        StaticFilesMiddleware,
        "whitenoise",
        "6.12.0",
        WhiteNoiseMiddleware.__call__,
        "538b06958308b801",
    ),
    (
        DatabaseWrapper,
        "psycopg-pool",
        "3.3.3",
        ConnectionPool._check_connection,
        "d0215e9299029f4e",
    ),
    # OpenAIClient overrides the hook the SDK's streams call for every chunk.
    (OpenAIClient, "openai", "3.57.0", BaseClient._process_response_data, "4406fcb1a3ae4105"),
    (OpenAIClient, "openai", "3.57.0", AsyncStream.__stream__, "381c66f37dd55cb8"),
]


def source_hash(function: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


@pytest.mark.parametrize(
    ("override", "library", "pinned", "copied", "expected"),
    PINNED,
    ids=[f"{row[0].__name__}-{row[3].__name__}" for row in PINNED],
)
def test_the_library_code_an_override_copies_is_unchanged(
    override: type[Any], library: str, pinned: str, copied: Callable[..., Any], expected: str
) -> None:
    installed = version(library)
    assert installed == pinned, (
        f"{library} is {installed}, but {override.__qualname__} was checked against {pinned}: "
        f"read {copied.__qualname__} of {installed} and the override again"
    )
    assert source_hash(copied) == expected, (
        f"{library} {installed} changed {copied.__qualname__}, which {override.__qualname__} "
        "copies or relies on: bring the override in line, then update this hash"
    )


def test_psycopg_pool_still_checks_lent_connections_with_its_private_check() -> None:
    # db_backend.DatabaseWrapper.pool sets `_check` after Django built the pool (psycopg_pool
    # has no public setter, and Django passes its own `check`).
    source = inspect.getsource(ConnectionPool._check_connection)
    assert "self._check(conn)" in source
