"""The actor and store-availability kernel functions, called by the fake model over the wire."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import ask

pytestmark = pytest.mark.django_db


def told(fake: FakeLLM) -> Any:
    """What the model was told its one function call returned."""
    (result,) = [m for m in fake.chat_requests[-1]["messages"] if m["role"] == "tool"]
    return json.loads(result["content"])


def test_films_by_actor_lists_penelope_guiness_films(model: FakeLLM) -> None:
    model.push(
        Script.tool_call("films-films_by_actor", {"name": "penelope guiness", "limit": 3}),
        Script.text("She stars in these."),
    )
    events = ask("Which films star PENELOPE GUINESS?").events
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.title FROM film f JOIN film_actor USING (film_id) JOIN actor a USING "
            "(actor_id) WHERE a.first_name = 'PENELOPE' AND a.last_name = 'GUINESS' "
            "ORDER BY f.film_id"
        )
        titles = [row[0] for row in cursor.fetchall()]
    result = told(model)
    assert result["actor"] == "PENELOPE GUINESS" and result["total"] == len(titles)
    assert [film["title"] for film in result["films"]] == titles[:3]
    (sources,) = [data for name, data in events if name == "sources"]
    assert [film["title"] for film in sources["films"]] == titles[:3]


def test_films_by_an_unknown_actor_is_an_error_the_model_can_read(model: FakeLLM) -> None:
    model.push(Script.tool_call("films-films_by_actor", {"name": "Nobody Atall"}), Script.text("?"))
    ask("Films with Nobody Atall?")
    assert told(model) == {"error": "no actor called 'Nobody Atall' in the catalogue"}


@pytest.mark.parametrize("store_id", [1, 2, 3])
def test_availability_at_store_counts_copies_on_that_stores_shelf(
    model: FakeLLM, store_id: int
) -> None:
    model.push(
        Script.tool_call("films-availability_at_store", {"film_id": 1, "store_id": store_id}),
        Script.text("Yes."),
    )
    ask("Is ACADEMY DINOSAUR in at the store?")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE inventory_in_stock(inventory_id)) "
            "FROM inventory WHERE film_id = 1 AND store_id = %s",
            [store_id],
        )
        copies, in_stock = cursor.fetchone()
    assert told(model) == {
        "film_id": 1,
        "title": "ACADEMY DINOSAUR",
        "store_id": store_id,
        "copies": copies,
        "in_stock": in_stock,
    }
    assert store_id == 3 or copies > 0
