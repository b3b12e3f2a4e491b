"""The film list's queries: one for a new page (version, total, page), whatever the filter."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from films.models import Film

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
def test_a_new_page_is_one_query_whatever_its_size(
    client: Client, django_assert_num_queries: Any, query: str, total: int
) -> None:
    with django_assert_num_queries(1) as captured:
        response = client.get(f"/api/v1/films?{query}")
    assert response.status_code == 200
    (page,) = (query["sql"] for query in captured.captured_queries)
    # The version, the total and the page's JSON come from PostgreSQL in the one query,
    # categories and language inside each row, built only for the page's films.
    assert page.startswith("SELECT v.xact, v.seq, (SELECT count(*) FROM (SELECT")
    assert page.endswith("FROM films_catalogue_version v")
    assert "string_agg((SELECT (SELECT row_to_json(r)::text" in page
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
        with django_assert_num_queries(1):  # the version and the page with its total
            page = client.get(f"/api/v1/films?{query}").json()
        assert (page["total"], len(page["films"])) == (58, shown)


@pytest.mark.parametrize(
    ("query", "total"),
    [("skip=1000", 1000), ("skip=2147483647&limit=100", 1000), ("category=Comedy&skip=58", 58)],
)
def test_skip_past_the_end_is_an_empty_page_with_the_total_in_one_query(
    client: Client, django_assert_num_queries: Any, query: str, total: int
) -> None:
    with django_assert_num_queries(1):
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


def test_a_cached_query_after_a_catalogue_edit_is_the_version_then_the_page(
    client: Client, django_assert_num_queries: Any
) -> None:
    assert client.get("/api/v1/films?limit=2").json()["films"][0]["title"] == "ACADEMY DINOSAUR"
    Film.objects.filter(pk=1).update(title="ACADEMY DINOSAUR II")
    with django_assert_num_queries(2) as captured:
        page = client.get("/api/v1/films?limit=2").json()
    assert captured.captured_queries[0]["sql"] == VERSION_SQL
    assert page["films"][0]["title"] == "ACADEMY DINOSAUR II"
