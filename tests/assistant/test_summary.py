"""POST /api/v1/ai/summary: strict JSON from the model, always checked against the database."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.db import connection

from assistant import services
from assistant.prompts import SUMMARY_SYSTEM_PROMPT
from assistant.schemas import FilmSummary
from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import post
from tests.clients import SUMMARY_URL
from tests.log_events import logged

pytestmark = pytest.mark.django_db

ACADEMY_DINOSAUR = {"title": "ACADEMY DINOSAUR", "rating": "PG", "recommended": False}
# An R-rated film renting for 0.99: recommended by the store's rule.
ALONE_TRIP = 17


def test_summary_is_exactly_title_rating_recommended(model: FakeLLM) -> None:
    model.push(Script.json(ACADEMY_DINOSAUR))
    streamed = post(SUMMARY_URL, {"film_id": 1})
    assert streamed.response.status_code == 200
    assert streamed.json() == ACADEMY_DINOSAUR
    assert not streamed.response.has_header("X-Assistant-Offline")


def test_model_is_asked_with_a_json_schema_response_format(model: FakeLLM) -> None:
    post(SUMMARY_URL, {"film_id": 1})
    (sent,) = model.chat_requests
    assert sent["messages"][0] == {"role": "system", "content": SUMMARY_SYSTEM_PROMPT}
    facts = json.loads(sent["messages"][1]["content"])
    assert facts["title"] == "ACADEMY DINOSAUR" and facts["rental_rate"] == "0.99"
    response_format = sent["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "FilmSummary"
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    # What OpenAI's strict mode requires: every property required, no other property allowed.
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert schema["required"] == list(schema["properties"]) == ["title", "rating", "recommended"]
    types = {name: field["type"] for name, field in schema["properties"].items()}
    assert types == {"title": "string", "rating": "string", "recommended": "boolean"}
    assert sent.get("stream") in (None, False)


def test_a_recommended_film(model: FakeLLM) -> None:
    model.push(Script.json({"title": "ALONE TRIP", "rating": "R", "recommended": True}))
    body = post(SUMMARY_URL, {"film_id": ALONE_TRIP}).json()
    assert body == {"title": "ALONE TRIP", "rating": "R", "recommended": True}


@pytest.mark.parametrize(
    "reply",
    [
        Script.json({"title": "ALONE TRIP", "rating": "R", "recommended": False}),
        Script.json({"title": "Alone Trip!", "rating": "PG", "recommended": True}),
        Script.json({"title": "ALONE TRIP", "rating": "R"}),
        Script.json({"title": "ALONE TRIP", "rating": "R", "recommended": "yes", "x": 1}),
        Script.text("I think it is recommended."),
        Script.text('{"title": "ALONE TRIP", "rating": "R", "recommended": tr'),
        Script.text(""),
    ],
    ids=[
        "wrong-rule",
        "wrong-title-rating",
        "missing-field",
        "extra-field",
        "prose",
        "cut-json",
        "empty",
    ],
)
def test_database_wins_over_a_wrong_or_invalid_model_answer(
    model: FakeLLM, caplog: pytest.LogCaptureFixture, reply: Script
) -> None:
    model.push(reply)
    streamed = post(SUMMARY_URL, {"film_id": ALONE_TRIP})
    assert streamed.response.status_code == 200
    assert streamed.json() == {"title": "ALONE TRIP", "rating": "R", "recommended": True}
    assert any("the database" in str(record.msg) for record in caplog.records)


def test_disagreement_is_logged_with_both_values_and_the_request_id(
    model: FakeLLM, caplog: pytest.LogCaptureFixture
) -> None:
    model.push(Script.json({"title": "ACADEMY DINOSAUR", "rating": "PG", "recommended": True}))
    streamed = post(SUMMARY_URL, {"film_id": 1})
    assert logged(
        caplog,
        film_id=1,
        recommended={"model": True, "database": False},
        request_id=streamed.response["X-Request-ID"],
    )


def lying(body: dict[str, Any]) -> Script:
    """A model that is always wrong: alternately the opposite recommendation and broken JSON."""
    facts = json.loads(body["messages"][-1]["content"])
    if facts["title"] < "M":
        rule = facts["rating"] in ("R", "NC-17") and Decimal(facts["rental_rate"]) < 3
        return Script.json(
            {"title": facts["title"], "rating": facts["rating"], "recommended": not rule}
        )
    return Script.text("{not json")


def test_right_for_all_1000_films_whatever_the_model_says(model: FakeLLM) -> None:
    model.responder = lying

    async def summarise_all() -> list[FilmSummary]:
        summaries: list[FilmSummary] = []
        for first in range(1, 1001, 50):  # 50 at a time: the model server answers in parallel
            batch = [services.film_summary(i) for i in range(first, first + 50)]
            summaries += [summary for summary, _ in await asyncio.gather(*batch)]
        return summaries

    summaries = async_to_sync(summarise_all)()
    assert len(model.chat_requests) == 1000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, rating::text, rating IN ('R', 'NC-17') AND rental_rate < 3.00 "
            "FROM film ORDER BY film_id"
        )
        expected = [FilmSummary(title=t, rating=r, recommended=rec) for t, r, rec in cursor]
    assert summaries == expected
    assert sum(summary.recommended for summary in summaries) == 269


@pytest.mark.parametrize("film_id", [1001, 999_999, 2**31 - 1])
def test_unknown_film_is_404_and_the_model_is_not_asked(model: FakeLLM, film_id: int) -> None:
    streamed = post(SUMMARY_URL, {"film_id": film_id})
    assert streamed.response.status_code == 404
    assert streamed.json()["code"] == "not_found"
    assert model.requests == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "film_id"),
        ({"film_id": "abc"}, "film_id"),
        ({"film_id": 0}, "film_id"),
        ({"film_id": -1}, "film_id"),
        ({"film_id": 2**31}, "film_id"),
        ({"film_id": True}, "film_id"),
        ({"film_id": None}, "film_id"),
        ([1], "non_field_errors"),
        ("null", "non_field_errors"),
    ],
)
def test_bad_body_is_a_400_problem(model: FakeLLM, body: Any, field: str) -> None:
    streamed = post(SUMMARY_URL, body)
    assert streamed.response.status_code == 400
    assert streamed.response["Content-Type"] == "application/problem+json"
    problem = streamed.json()
    assert problem["code"] == "invalid" and field in problem["errors"]
    assert model.requests == []


def test_body_that_is_not_json_is_a_400_problem(model: FakeLLM) -> None:
    streamed = post(SUMMARY_URL, "{film_id: 1")
    assert streamed.response.status_code == 400
    assert streamed.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    ("script", "status", "code"),
    [
        (Script.error(500), 502, "upstream_error"),
        (Script.error(429), 503, "upstream_rate_limited"),
        (Script.hang(), 504, "upstream_timeout"),
        (Script.cut(), 502, "upstream_unavailable"),
        (Script.malformed(), 502, "upstream_malformed"),
    ],
    ids=["500", "429", "hang", "cut", "malformed"],
)
def test_upstream_failure_is_a_5xx_problem(
    model: FakeLLM, settings: Any, script: Script, status: int, code: str
) -> None:
    settings.AI_TIMEOUT = 0.5
    model.push(script)
    streamed = post(SUMMARY_URL, {"film_id": 1})
    assert streamed.response.status_code == status
    assert streamed.response["Content-Type"] == "application/problem+json"
    problem = streamed.json()
    assert problem["code"] == code and problem["status"] == status
    assert problem["request_id"] == streamed.response["X-Request-ID"]
    assert model.wait_for(lambda: model.open_connections == 0)
