"""The film list's queries: version, total and page, whatever the page size or the filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cold_film_list_cache")]

VERSION_SQL = "SELECT xact, seq FROM films_catalogue_version"


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
def test_a_new_page_is_three_queries_whatever_its_size(
    client: Client, django_assert_num_queries: Any, query: str
) -> None:
    with django_assert_num_queries(3) as captured:
        response = client.get(f"/api/v1/films?{query}")
    assert response.status_code == 200
    assert captured.captured_queries[0]["sql"] == VERSION_SQL
    assert captured.captured_queries[1]["sql"].startswith('SELECT COUNT(*) AS "__count"')
    page_sql = captured.captured_queries[2]["sql"]
    # Categories and language come inside the page query itself.
    assert 'ARRAY(SELECT U0."name"' in page_sql
    assert 'INNER JOIN "language"' in page_sql
    assert response.json()["films"][0]["categories"]


def test_the_same_page_again_is_only_the_version_query(
    client: Client, django_assert_num_queries: Any
) -> None:
    first = client.get("/api/v1/films?category=Comedy")
    with django_assert_num_queries(1) as captured:
        again = client.get("/api/v1/films?category=Comedy")
    assert captured.captured_queries[0]["sql"] == VERSION_SQL
    assert again.content == first.content
    assert again.json()["total"] == 58


def test_other_pages_of_the_same_filters_reuse_the_total(
    client: Client, django_assert_num_queries: Any
) -> None:
    assert client.get("/api/v1/films?category=Comedy").json()["total"] == 58
    for query in ["category=Comedy&skip=50", "category=Comedy&ordering=-title&limit=3"]:
        with django_assert_num_queries(2) as captured:  # the version and the page
            page = client.get(f"/api/v1/films?{query}").json()
        assert "COUNT" not in captured.captured_queries[1]["sql"]
        assert page["total"] == 58
    assert len(client.get("/api/v1/films?category=Comedy&skip=50").json()["films"]) == 8


def test_skip_past_the_end_costs_only_the_version_and_the_count(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        assert client.get("/api/v1/films?skip=1000").json()["films"] == []


def test_invalid_parameters_never_reach_the_database(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        assert client.get("/api/v1/films?limit=0&rating=X").status_code == 400
    # Nor after a good request: a 400 is never cached, and is checked again each time.
    assert client.get("/api/v1/films?limit=1").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/api/v1/films?limit=0&rating=X").status_code == 400


@pytest.mark.parametrize("film_id", [1, 14, 1000])
def test_film_detail_is_three_queries(
    client: Client, django_assert_num_queries: Any, film_id: int
) -> None:
    # The film with language and categories, its actors, its stock per store.
    with django_assert_num_queries(3):
        assert client.get(f"/api/v1/films/{film_id}").status_code == 200
