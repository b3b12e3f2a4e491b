"""The AI rate limit: per client, shared by the three endpoints through the database cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection

from devtools.fake_llm import FakeLLM
from tests.ai_client import ask, post
from tests.clients import HANDOFF_URL, SUMMARY_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_a_day(model: FakeLLM, settings: Any) -> FakeLLM:
    settings.AI_RATE_LIMIT = "2/day"
    cache.clear()
    return model


def counters() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cache_key, value FROM pagila_cache WHERE cache_key LIKE %s", ["%throttle_ai_%"]
        )
        return cursor.fetchall()


def test_third_ai_request_of_a_client_is_a_429_problem_with_retry_after(two_a_day: FakeLLM) -> None:
    assert ask("Hello").response.status_code == 200
    assert post(SUMMARY_URL, {"film_id": 1}).response.status_code == 200
    streamed = post(HANDOFF_URL, {"question": "Who won the FIFA World Cup in 2022?"})
    assert streamed.response.status_code == 429
    assert streamed.response["Content-Type"] == "application/problem+json"
    problem = streamed.json()
    assert problem["code"] == "throttled" and problem["status"] == 429
    assert problem["request_id"] == streamed.response["X-Request-ID"]
    assert 1 <= int(streamed.response["Retry-After"]) <= 86400
    assert len(two_a_day.chat_requests) == 2  # the refused request never reached the model


def test_the_stream_is_refused_before_it_starts(two_a_day: FakeLLM) -> None:
    ask("one")
    ask("two")
    streamed = ask("three")
    assert streamed.response.status_code == 429
    assert streamed.response["Content-Type"] == "application/problem+json"


def test_the_count_lives_in_the_database_cache_shared_by_workers(two_a_day: FakeLLM) -> None:
    ask("one")
    ask("two")
    ((key, _value),) = counters()
    assert "throttle_ai_127.0.0.1_" in key
    assert ask("three").response.status_code == 429
    cache.clear()  # what every worker reads: emptying it lifts the limit everywhere
    assert counters() == []
    assert ask("four").response.status_code == 200


def forwarded_for(address: str) -> dict[str, Any]:
    return {"headers": {"X-Forwarded-For": address}}


def test_a_forged_x_forwarded_for_does_not_escape_the_limit(two_a_day: FakeLLM) -> None:
    ask("one", **forwarded_for("10.0.0.1"))
    ask("two", **forwarded_for("10.0.0.2"))
    assert ask("three", **forwarded_for("10.0.0.3")).response.status_code == 429
    assert len(counters()) == 1


def test_behind_a_trusted_proxy_clients_are_counted_apart(
    two_a_day: FakeLLM, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    ask("one", **forwarded_for("10.0.0.1"))
    ask("two", **forwarded_for("10.0.0.1"))
    assert ask("three", **forwarded_for("10.0.0.1")).response.status_code == 429
    assert ask("from elsewhere", **forwarded_for("10.0.0.2")).response.status_code == 200
    assert sorted(key.split("throttle_ai_")[1].split("_")[0] for key, _ in counters()) == [
        "10.0.0.1",
        "10.0.0.2",
    ]


def test_off_disables_the_limit(two_a_day: FakeLLM, settings: Any) -> None:
    settings.AI_RATE_LIMIT = "off"
    assert all(ask(f"q{i}").response.status_code == 200 for i in range(4))
    assert counters() == []


def test_the_default_rate_is_30_a_minute() -> None:
    from pagila_site.config import settings as project_settings

    assert project_settings.AI_RATE_LIMIT == "30/min"


def test_bad_rate_is_reported_by_the_system_check(settings: Any) -> None:
    from assistant.apps import check_ai_rate_limit

    settings.AI_RATE_LIMIT = "thirty"
    (error,) = check_ai_rate_limit()
    assert error.id == "assistant.E001"
    settings.AI_RATE_LIMIT = "30/min"
    assert check_ai_rate_limit() == []
