"""GET /api/v1/ai/ask: the Server-Sent Events contract against the fake model, and its 400s."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from assistant.prompts import ASK_SYSTEM_PROMPT
from assistant.services import MAX_TOOL_ROUNDS
from devtools.fake_llm import FakeLLM, Script
from films.models import Film
from tests.ai_client import CATALOGUE_TOOLS, FAKE_MODEL, START, ask, post, request
from tests.clients import ASK_URL, HANDOFF_URL, SUMMARY_URL

pytestmark = pytest.mark.django_db

COMPLETE = ("complete", {"status": "completed"})


def messages(events: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [data["content"] for name, data in events if name == "message"]


def test_chunks_arrive_as_separate_message_events_in_order(model: FakeLLM) -> None:
    model.push(Script.text(["Academy ", "Dinosaur ", "is a PG documentary."], delay=0.01))
    streamed = ask("Tell me about ACADEMY DINOSAUR")
    assert streamed.response.status_code == 200
    assert streamed.events == [
        START,
        ("message", {"content": "Academy "}),
        ("message", {"content": "Dinosaur "}),
        ("message", {"content": "is a PG documentary."}),
        COMPLETE,
    ]
    # Each event is its own body part: nothing is buffered into one write.
    assert len(streamed.parts) == 5
    assert re.fullmatch(
        rb'event: start\ndata: {"status": "processing", "conversation": "[\w-]{32}"}\n\n',
        streamed.parts[0],
    )
    assert model.wait_for(lambda: model.open_connections == 0)


def test_stream_headers(model: FakeLLM) -> None:
    response = ask("Hello").response
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Accel-Buffering"] == "no"
    assert response["Connection"] == "keep-alive"
    assert not response.has_header("Content-Encoding")
    assert not response.has_header("X-Assistant-Offline")


def test_model_is_asked_with_system_prompt_question_and_catalogue_tools(model: FakeLLM) -> None:
    ask("Which comedies do you have?")
    (sent,) = model.chat_requests
    assert sent["model"] == FAKE_MODEL and sent["stream"] is True
    assert sent["max_tokens"] == 800
    assert sent["messages"][0] == {"role": "system", "content": ASK_SYSTEM_PROMPT}
    assert sent["messages"][-1] == {"role": "user", "content": "Which comedies do you have?"}
    tools = {tool["function"]["name"] for tool in sent["tools"]}
    assert tools == CATALOGUE_TOOLS
    assert model.requests[0].headers["authorization"] == "Bearer test-key"


def tool_result(fake: FakeLLM) -> Any:
    """The JSON the model got back from the function it called (the last request's last message)."""
    last = fake.chat_requests[-1]["messages"][-1]
    assert last["role"] == "tool"
    return json.loads(last["content"])


def test_search_tool_call_reads_comedies_from_pagila(model: FakeLLM) -> None:
    model.push(
        Script.tool_call("films-search_films", {"category": "comedy", "limit": 3}),
        Script.text("Here are three comedies."),
    )
    streamed = ask("Name three comedies")
    assert "".join(messages(streamed.events)) == "Here are three comedies."
    result = tool_result(model)
    comedies = Film.objects.filter(categories__name="Comedy").order_by("film_id")
    assert result["total"] == 58
    assert [film["title"] for film in result["films"]] == [f.title for f in comedies[:3]]
    assert all(film["categories"] == ["Comedy"] for film in result["films"])
    # The rows the catalogue API lists, the same JSON field for field.
    listed = Client().get("/api/v1/films?category=Comedy&limit=3").json()["films"]
    assert result["films"] == listed


def test_full_text_search_tool_finds_the_mad_scientists(model: FakeLLM) -> None:
    model.push(
        Script.tool_call("films-search_films", {"text": "mad scientist", "rating": "nc-17"}),
        Script.text("Found them."),
    )
    ask("Any NC-17 films with a mad scientist?")
    result = tool_result(model)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title FROM film WHERE rating = 'NC-17' AND fulltext @@ "
            "websearch_to_tsquery('english', 'mad scientist') ORDER BY film_id"
        )
        titles = [row[0] for row in cursor.fetchall()]
    assert titles and result["total"] == len(titles)
    assert [film["title"] for film in result["films"]] == titles[:5]


def test_details_and_stock_tool_calls_read_film_1(model: FakeLLM) -> None:
    model.push(
        Script.tool_calls(
            [("films-film_details", {"film_id": 1}), ("films-copies_in_stock", '{"film_id": 1}')]
        ),
        Script.text("It is in stock."),
    )
    ask("Is ACADEMY DINOSAUR in stock?")
    tool_messages = [m for m in model.chat_requests[-1]["messages"] if m["role"] == "tool"]
    details, stock = (json.loads(m["content"]) for m in tool_messages)
    assert details["title"] == "ACADEMY DINOSAUR" and details["rental_rate"] == "0.99"
    assert details["categories"] == ["Documentary"] and details["rating"] == "PG"
    assert details["actor_count"] == 10 and len(details["actors"]) == 10
    (listed,) = Client().get("/api/v1/films?limit=1").json()["films"]
    assert details.items() >= listed.items()  # the list's row, then what only details tell
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT store_id, count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM rental r "
            "WHERE r.inventory_id = i.inventory_id AND r.return_date IS NULL)) "
            "FROM inventory i WHERE film_id = 1 GROUP BY store_id ORDER BY store_id"
        )
        expected = [{"store_id": s, "copies": c, "in_stock": n} for s, c, n in cursor.fetchall()]
    assert stock == {"film_id": 1, "title": "ACADEMY DINOSAUR", "stores": expected}
    assert details["stores"] == expected


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({}, "give text, category or rating"),
        ({"rating": "X"}, "rating must be one of"),
        ({"text": "x" * 201}, "limited to 200"),
    ],
)
def test_bad_tool_arguments_get_an_error_the_model_can_read(
    model: FakeLLM, arguments: dict[str, Any], error: str
) -> None:
    model.push(Script.tool_call("films-search_films", arguments), Script.text("Sorry."))
    assert ask("Search").events[-1] == COMPLETE
    assert error in tool_result(model)["error"]


def test_the_model_gets_at_most_four_rounds_of_tool_calls(model: FakeLLM) -> None:
    search = Script.tool_call("films-search_films", {"category": "comedy", "limit": 1})
    model.push(*[search] * (MAX_TOOL_ROUNDS + 1), Script.text("Never asked for."))
    streamed = ask("Comedies, again and again")
    assert streamed.events[-1] == COMPLETE
    assert messages(streamed.events) == []
    # Each round's call was run and its result shown in the next round; after the fourth
    # round's call the model is not asked again.
    assert len(model.chat_requests) == MAX_TOOL_ROUNDS
    last = model.chat_requests[-1]["messages"]
    results = [json.loads(m["content"]) for m in last if m["role"] == "tool"]
    assert len(results) == MAX_TOOL_ROUNDS - 1
    assert all(result["total"] == 58 for result in results)  # Pagila's comedies


def test_unknown_film_details_say_not_found(model: FakeLLM) -> None:
    model.push(Script.tool_call("films-film_details", {"film_id": 1001}), Script.text("None."))
    ask("Film 1001?")
    assert tool_result(model)["error"].startswith("No film has")


def test_search_results_are_capped_at_ten(model: FakeLLM) -> None:
    model.push(
        Script.tool_call("films-search_films", {"rating": "PG", "limit": 500}), Script.text(".")
    )
    ask("All PG films")
    result = tool_result(model)
    assert result["total"] == Film.objects.filter(rating="PG").count() == 194
    assert len(result["films"]) == 10


@pytest.mark.parametrize(
    "params",
    [{}, {"question": ""}, {"question": "   \t\n "}, {"question": "x" * 2001}],
    ids=["missing", "empty", "whitespace", "too-long"],
)
def test_bad_question_is_a_400_problem_before_any_stream(
    model: FakeLLM, params: dict[str, str]
) -> None:
    streamed = request("GET", ASK_URL, params)
    assert streamed.response.status_code == 400
    assert streamed.response["Content-Type"] == "application/problem+json"
    body = streamed.json()
    assert body["code"] == "invalid" and "question" in body["errors"]
    assert body["request_id"] == streamed.response["X-Request-ID"]
    assert model.requests == []


def test_a_question_of_exactly_2000_characters_is_answered(model: FakeLLM) -> None:
    streamed = ask("x" * 2000)
    assert streamed.response.status_code == 200 and streamed.events[-1] == COMPLETE


def test_post_is_405_in_the_error_format(model: FakeLLM) -> None:
    streamed = post(ASK_URL, {"question": "hi"})
    assert streamed.response.status_code == 405
    assert streamed.json()["code"] == "method_not_allowed"
    assert streamed.response["Allow"] == "GET"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("HEAD", ASK_URL, "GET"),
        ("OPTIONS", ASK_URL, "GET"),
        ("GET", SUMMARY_URL, "POST"),
        ("OPTIONS", HANDOFF_URL, "POST"),
    ],
)
def test_every_other_method_is_405_and_the_model_is_never_asked(
    model: FakeLLM, method: str, path: str, allowed: str
) -> None:
    refused = request(method, path, None if method == "GET" else b"")
    assert refused.response.status_code == 405
    assert refused.response["Allow"] == allowed
    assert refused.response["Content-Type"] == "application/problem+json"
    if method != "HEAD":  # a HEAD answer has no body
        assert refused.json()["code"] == "method_not_allowed"
    assert model.requests == []
