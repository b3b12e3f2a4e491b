"""Offline answers that read the question's filters and say what they understood."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from assistant.offline import OFFLINE_NOTICE
from tests.ai_client import ask

pytestmark = pytest.mark.django_db


def lines_of(question: str) -> list[str]:
    events = ask(question).events
    return "".join(data["content"] for name, data in events if name == "message").splitlines()


def titles(sql: str, params: list[Any]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT f.title FROM film f {sql} ORDER BY f.film_id", params)
        return [row[0] for row in cursor.fetchall()]


def listed(lines: list[str]) -> list[str]:
    return [line[2:].split(" (")[0] for line in lines if line.startswith("- ")]


def test_category_rating_and_price_are_understood(offline: None) -> None:
    expected = titles(
        "JOIN film_category USING (film_id) JOIN category c USING (category_id) "
        "WHERE c.name = 'Comedy' AND f.rating = 'PG' AND f.rental_rate < 1",
        [],
    )
    lines = lines_of("comedy films rated PG under $1")
    assert lines[0] == OFFLINE_NOTICE
    assert lines[1] == f"Comedy, rated PG, under $1.00: {len(expected)} films:"
    assert listed(lines) == expected[:5] and 0 < len(expected) <= 5


def test_which_films_star_an_actor_lists_the_actors_films(offline: None) -> None:
    expected = titles(
        "JOIN film_actor USING (film_id) JOIN actor a USING (actor_id) "
        "WHERE a.first_name = 'PENELOPE' AND a.last_name = 'GUINESS'",
        [],
    )
    lines = lines_of("Which films star PENELOPE GUINESS?")
    assert lines[1] == f"Starring PENELOPE GUINESS: {len(expected)} films; the first 5:"
    assert listed(lines) == expected[:5]
    assert "STAR OPERATION" not in "\n".join(lines)


def test_length_and_category_plurals_are_understood(offline: None) -> None:
    expected = titles(
        "JOIN film_category USING (film_id) JOIN category c USING (category_id) "
        "WHERE c.name = 'Documentary' AND f.length < %s",
        [60],
    )
    lines = lines_of("Documentaries shorter than 60 minutes?")
    assert lines[1].startswith(f"Documentary, shorter than 60 minutes: {len(expected)} films")
    assert listed(lines) == expected[:5]


def test_filters_that_select_nothing_say_so(offline: None) -> None:
    lines = lines_of("Horror films rated G under $0.50")
    assert lines[1:] == ["Horror, rated G, under $0.50: 0 films."]
