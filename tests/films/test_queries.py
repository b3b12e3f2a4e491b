"""The film list's queries: the version, then the total and the page in one, whatever the filter."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cold_film_list_cache")]

VERSION_SQL = "SELECT xact, seq FROM films_catalogue_version"


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("", 1000),
        ("limit=1", 1000),
        ("limit=100", 1000),
        ("skip=900&limit=100", 1000),
        ("category=Comedy&limit=100", 58),
        ("search=drama&rating=G,PG&ordering=-length,title&limit=100", 36),
        ("streaming_available=false&ordering=title&limit=100", 1000),
    ],
)
def test_a_new_page_is_the_version_and_one_query_whatever_its_size(
    client: Client, django_assert_num_queries: Any, query: str, total: int
) -> None:
    with django_assert_num_queries(2) as captured:
        response = client.get(f"/api/v1/films?{query}")
    assert response.status_code == 200
    version, page = (query["sql"] for query in captured.captured_queries)
    assert version == VERSION_SQL
    # The total and the page's JSON come from PostgreSQL in the one query, categories and
    # language inside each row.
    assert page.startswith("SELECT (SELECT count(*) FROM (SELECT")
    assert "string_agg(page.row_json, ',')" in page
    assert "row_to_json(r)::text" in page
    assert "ARRAY(SELECT c.name" in page and "FROM language l" in page
    body = response.json()
    assert body["total"] == total
    assert body["films"][0]["categories"]


def test_the_same_page_again_is_only_the_version_query(
    client: Client, django_assert_num_queries: Any
) -> None:
    first = client.get("/api/v1/films?category=Comedy")
    with django_assert_num_queries(1) as captured:
        again = client.get("/api/v1/films?category=Comedy")
    assert captured.captured_queries[0]["sql"] == VERSION_SQL
    assert again.content == first.content
    assert again.json()["total"] == 58


def test_every_page_of_the_same_filters_has_their_total(
    client: Client, django_assert_num_queries: Any
) -> None:
    for query, shown in [
        ("category=Comedy", 10),
        ("category=Comedy&skip=50", 8),
        ("category=Comedy&ordering=-title&limit=3", 3),
    ]:
        with django_assert_num_queries(2):  # the version and the page with its total
            page = client.get(f"/api/v1/films?{query}").json()
        assert (page["total"], len(page["films"])) == (58, shown)


@pytest.mark.parametrize(
    ("query", "total"),
    [("skip=1000", 1000), ("skip=2147483647&limit=100", 1000), ("category=Comedy&skip=58", 58)],
)
def test_skip_past_the_end_is_an_empty_page_with_the_total_in_one_query(
    client: Client, django_assert_num_queries: Any, query: str, total: int
) -> None:
    with django_assert_num_queries(2):
        page = client.get(f"/api/v1/films?{query}").json()
    assert (page["films"], page["total"]) == ([], total)


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
