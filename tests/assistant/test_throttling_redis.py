"""The AI rate limit on the real Redis (127.0.0.1:6379): exact under simultaneous requests, as on
the database cache, and an outage is a documented 503 or an unlimited answer, never a 500."""

from __future__ import annotations

import logging
import subprocess
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connections

from assistant.throttling import counted
from devtools.fake_llm import FakeLLM
from tests.ai_client import ask, post
from tests.clients import HANDOFF_URL, SUMMARY_URL
from tests.log_events import structlog_events
from tests.redis_server import (
    REDIS_URL,
    delete_keys_under,
    keys_under,
    new_key_prefix,
    private_redis,
    redis_cache,
)
from tests.settings_process import settings_in_new_process

pytestmark = pytest.mark.django_db

# Requests counted at the same instant in the race test, each from its own thread.
SIMULTANEOUS = 24


@pytest.fixture
def on_redis(settings: Any) -> Iterator[str]:
    """The default cache on the machine's Redis, under a key prefix of this test's own."""
    prefix = new_key_prefix()
    settings.CACHES = {"default": redis_cache(REDIS_URL, prefix)}
    yield prefix
    delete_keys_under(prefix)


def test_a_redis_cache_url_is_djangos_redis_cache_with_one_second_timeouts() -> None:
    env = {"ENV_FILE": "/nonexistent", "CACHE_URL": "redis://127.0.0.1:6379/7?key_prefix=pagila-a"}
    assert settings_in_new_process("settings.CACHES['default']", env) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/7",
        "KEY_PREFIX": "pagila-a",
        "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
    }


def test_on_redis_the_limit_holds_and_the_counter_expires_with_its_window(
    model: FakeLLM, settings: Any, on_redis: str
) -> None:
    settings.AI_RATE_LIMIT = "2/day"
    assert ask("one").response.status_code == 200
    assert post(SUMMARY_URL, {"film_id": 1}).response.status_code == 200
    refused = post(HANDOFF_URL, {"question": "Who won the FIFA World Cup in 2022?"})
    assert refused.response.status_code == 429
    assert refused.json()["code"] == "throttled"
    ((key, ttl),) = keys_under(on_redis).items()
    assert ":throttle_ai_127.0.0.1_" in key
    assert 0 < ttl <= 86400 + 1
    assert caches["default"].get(key.split(":", 2)[2]) == 3
    assert len(model.chat_requests) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cache_name", ["redis", "database"])
def test_simultaneous_requests_are_each_counted_once(cache_name: str, settings: Any) -> None:
    prefix = new_key_prefix()
    if cache_name == "redis":
        settings.CACHES = {"default": redis_cache(REDIS_URL, prefix)}
    key = f"throttle_ai_race_{uuid.uuid4().hex}"
    start = Barrier(SIMULTANEOUS)

    def count_once(_: int) -> int:
        start.wait()
        try:
            return counted(caches["default"], key, timeout=60)
        finally:
            connections.close_all()

    try:
        with ThreadPoolExecutor(SIMULTANEOUS) as pool:
            counts = list(pool.map(count_once, range(SIMULTANEOUS)))
        assert sorted(counts) == list(range(1, SIMULTANEOUS + 1))
        assert caches["default"].get(key) == SIMULTANEOUS
    finally:
        caches["default"].delete(key)
        delete_keys_under(prefix)


@pytest.fixture
def redis_that_goes_away(settings: Any, model: FakeLLM) -> Iterator[subprocess.Popen[bytes]]:
    """The default cache on a private redis-server; the test stops it to take Redis away."""
    with private_redis() as (url, process):
        settings.CACHES = {"default": redis_cache(url, new_key_prefix())}
        settings.AI_RATE_LIMIT = "5/min"
        yield process


def take_away(redis_server: subprocess.Popen[bytes]) -> None:
    redis_server.terminate()
    redis_server.wait(timeout=10)


def test_with_redis_gone_the_ai_endpoints_refuse_with_a_503_problem_by_default(
    redis_that_goes_away: subprocess.Popen[bytes], model: FakeLLM
) -> None:
    assert post(SUMMARY_URL, {"film_id": 1}).response.status_code == 200
    take_away(redis_that_goes_away)
    for refused in (
        ask("Hello"),
        post(SUMMARY_URL, {"film_id": 1}),
        post(HANDOFF_URL, {"question": "Who won the FIFA World Cup in 2022?"}),
    ):
        assert refused.response.status_code == 503
        assert refused.response["Content-Type"] == "application/problem+json"
        assert refused.json()["code"] == "rate_limit_unavailable"
    assert len(model.chat_requests) == 1  # nothing reached the model without its limit


def test_with_redis_gone_and_fail_open_the_ai_endpoints_answer_without_the_limit(
    redis_that_goes_away: subprocess.Popen[bytes],
    model: FakeLLM,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.AI_RATE_LIMIT_FAIL_OPEN = True
    take_away(redis_that_goes_away)
    with caplog.at_level(logging.WARNING, logger="pagila.assistant"):
        answered = post(SUMMARY_URL, {"film_id": 1})
    assert answered.response.status_code == 200
    assert answered.json()["title"] == "ACADEMY DINOSAUR"
    skipped = structlog_events(caplog, event="ai rate limit skipped: its cache is not answering")
    assert len(skipped) == 1
    assert skipped[0]["error"].startswith("ConnectionError: Error 111 connecting to 127.0.0.1:")
