"""The `sources` event: the films the kernel functions returned, once, before `complete`."""

from __future__ import annotations

import pytest
from django.db import connection

from assistant.models import Turn
from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import START, ask

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_conversations")]


def comedies(limit: int) -> list[dict[str, object]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.film_id, f.title, f.rental_rate::text, f.rating::text FROM film f "
            "JOIN film_category USING (film_id) JOIN category c USING (category_id) "
            "WHERE c.name = 'Comedy' ORDER BY f.film_id LIMIT %s",
            [limit],
        )
        fields = ("film_id", "title", "rental_rate", "rating")
        return [dict(zip(fields, row, strict=True)) for row in cursor.fetchall()]


def test_films_found_by_the_functions_are_sent_before_complete(model: FakeLLM) -> None:
    model.push(
        Script.tool_calls(
            [
                ("films-search_films", {"category": "Comedy", "limit": 3}),
                ("films-copies_in_stock", {"film_id": 1}),
            ]
        ),
        Script.text("Three comedies, and ACADEMY DINOSAUR is in."),
    )
    events = ask("Comedies? And is film 1 in?").events
    names = [name for name, _ in events]
    assert events[0] == START
    assert names[-2:] == ["sources", "complete"] and names.count("sources") == 1
    academy = {"film_id": 1, "title": "ACADEMY DINOSAUR", "rental_rate": "0.99", "rating": "PG"}
    assert events[-2][1] == {"films": [*comedies(3), academy]}
    assert Turn.objects.get().sources == events[-2][1]["films"]


def test_no_sources_event_when_no_function_returned_films(model: FakeLLM) -> None:
    model.push(Script.tool_call("films-film_details", {"film_id": 5000}), Script.text("No."))
    names = [name for name, _ in ask("Film 5000?").events]
    assert "sources" not in names and names[-1] == "complete"
