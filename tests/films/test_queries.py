"""The film list is two queries (total and page) whatever the page size or filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "",
        "limit=1",
        "limit=100",
        "skip=900&limit=100",
        "category=Comedy&limit=100",
        "search=drama&rating=G,PG&ordering=-length,title&limit=100",
        "streaming_available=false&ordering=title&limit=100",
    ],
)
def test_a_page_is_two_queries_whatever_its_size(
    client: Client, django_assert_num_queries: Any, query: str
) -> None:
    with django_assert_num_queries(2) as captured:
        response = client.get(f"/api/v1/films?{query}")
    assert response.status_code == 200
    page_sql = captured.captured_queries[1]["sql"]
    # Categories and language come inside the page query itself.
    assert 'ARRAY(SELECT U0."name"' in page_sql
    assert 'INNER JOIN "language"' in page_sql
    assert response.json()["films"][0]["categories"]


def test_skip_past_the_end_costs_only_the_count(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        assert client.get("/api/v1/films?skip=1000").json()["films"] == []


def test_invalid_parameters_never_reach_the_database(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        assert client.get("/api/v1/films?limit=0&rating=X").status_code == 400


@pytest.mark.parametrize("film_id", [1, 14, 1000])
def test_film_detail_is_three_queries(
    client: Client, django_assert_num_queries: Any, film_id: int
) -> None:
    # The film with language and categories, its actors, its stock per store.
    with django_assert_num_queries(3):
        assert client.get(f"/api/v1/films/{film_id}").status_code == 200
