"""films.statements and the page query: compiled once per shape of filters, filled per page."""

from __future__ import annotations

import json

import pytest
from django.contrib.postgres.search import SearchQuery

from films import selectors
from films.models import Film
from films.statements import Slot, Statement


def test_a_statement_fills_each_slot_with_the_value_of_its_name() -> None:
    statement = Statement.of(
        "SELECT %s, %s, %s", [1, Slot("category"), Slot("skip")], slots=[Slot("category")]
    )
    assert statement.bind({"category": "Comedy", "skip": 20}) == [1, "Comedy", 20]


def test_a_slot_the_compiled_query_lost_is_refused() -> None:
    copied = str(Slot("category"))  # what a lookup that rewrites its value would pass on
    with pytest.raises(ValueError, match="category"):
        Statement.of("SELECT %s", [copied], slots=[Slot("category")])


@pytest.mark.django_db
def test_one_shape_is_compiled_once_and_serves_every_value() -> None:
    selectors._page_statement.cache_clear()
    comedy = selectors.film_page_json(skip=0, limit=3, category="Comedy")
    action = selectors.film_page_json(skip=60, limit=10, category="action")
    unknown = selectors.film_page_json(skip=0, limit=10, category="Westerns")
    assert selectors._page_statement.cache_info().currsize == 1
    assert (comedy.total, action.total, unknown.total) == (58, 64, 0)
    assert len(json.loads(f"[{comedy.films_json}]")) == 3
    assert len(json.loads(f"[{action.films_json}]")) == 4  # films 61 to 64 of Action
    assert unknown.films_json == ""
    assert comedy.version == action.version == selectors.catalogue_version()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ratings", "total"),
    [(["G"], 178), (["G", "G"], 178), (["PG", "G"], 372), (["NC-17", "R", "PG-13"], 628)],
)
def test_ratings_fill_their_shape_whatever_their_order_or_repeats(
    ratings: list[str], total: int
) -> None:
    page = selectors.film_page_json(skip=0, limit=100, ratings=ratings, ordering=["-title"])
    rows = json.loads(f"[{page.films_json}]")
    assert page.total == total
    assert {row["rating"] for row in rows} == set(ratings)
    titles = [row["title"] for row in rows]
    assert titles == sorted(titles, reverse=True)


@pytest.mark.django_db
def test_search_and_category_of_one_shape_take_their_own_values() -> None:
    first = selectors.film_page_json(skip=0, limit=100, category="Drama", search="boat")
    second = selectors.film_page_json(skip=0, limit=100, category="Sports", search="dentist")
    for page, category, word in [(first, "Drama", "boat"), (second, "Sports", "dentist")]:
        matching = Film.objects.filter(
            categories__name=category,
            fulltext=SearchQuery(word, search_type="websearch", config="english"),
        ).order_by("film_id")
        rows = json.loads(f"[{page.films_json}]")
        assert page.total == len(rows) > 0
        assert [row["film_id"] for row in rows] == list(matching.values_list("pk", flat=True))
    assert first.films_json != second.films_json
