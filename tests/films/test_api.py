"""GET /api/v1/films and /api/v1/films/{id} on the real Pagila catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from films.models import Film

pytestmark = pytest.mark.django_db


def ids(page: dict[str, Any]) -> list[int]:
    return [film["film_id"] for film in page["films"]]


def test_defaults_are_the_first_ten_of_all_1000_films(get_films: Any) -> None:
    page = get_films()
    assert (page["total"], page["skip"], page["limit"]) == (1000, 0, 10)
    assert ids(page) == list(range(1, 11))
    first = page["films"][0]
    assert first == {
        "film_id": 1,
        "title": "ACADEMY DINOSAUR",
        "description": "A Epic Drama of a Feminist And a Mad Scientist who must Battle a "
        "Teacher in The Canadian Rockies",
        "release_year": 2006,
        "language": "English",
        "length": 86,
        "rental_duration": 6,
        "rental_rate": "0.99",
        "replacement_cost": "20.99",
        "rating": "PG",
        "streaming_available": False,
        "categories": ["Documentary"],
    }


def test_skip_10_limit_5_gives_films_11_to_15(get_films: Any) -> None:
    page = get_films("skip=10&limit=5")
    assert ids(page) == [11, 12, 13, 14, 15]
    assert (page["total"], page["skip"], page["limit"]) == (1000, 10, 5)


def test_limit_100_is_the_largest_page(get_films: Any) -> None:
    assert ids(get_films("limit=100")) == list(range(1, 101))


def test_skip_past_the_end_is_an_empty_page_with_the_real_total(get_films: Any) -> None:
    assert get_films("skip=1000") == {"films": [], "total": 1000, "skip": 1000, "limit": 10}
    assert ids(get_films("skip=995")) == [996, 997, 998, 999, 1000]


@pytest.mark.parametrize("ordering", ["", "title", "-rental_rate", "length,-title"])
def test_paging_through_all_films_covers_each_exactly_once(get_films: Any, ordering: str) -> None:
    # rental_rate and length have many ties: the film_id tie-break keeps pages disjoint.
    seen: list[int] = []
    for skip in range(0, 1000, 70):
        seen += ids(get_films(f"skip={skip}&limit=70&ordering={ordering}"))
    assert sorted(seen) == list(range(1, 1001))


@pytest.mark.parametrize(
    ("name", "total"),
    [("Comedy", 58), ("Action", 64), ("comedy", 58), ("ACTION", 64), ("%20sci-FI%20", 61)],
)
def test_category_filter_is_exact_and_case_insensitive(
    get_films: Any, name: str, total: int
) -> None:
    page = get_films(f"category={name}&limit=100")
    assert page["total"] == total
    assert len(page["films"]) == min(total, 100)
    wanted = name.replace("%20", "").lower()
    assert all(wanted in [c.lower() for c in f["categories"]] for f in page["films"])
    assert ids(page) == sorted(ids(page))


def test_category_films_are_exactly_those_filed_under_it(get_films: Any) -> None:
    expected = set(Film.objects.filter(categories__name="Comedy").values_list("pk", flat=True))
    assert set(ids(get_films("category=Comedy&limit=100"))) == expected


@pytest.mark.parametrize("name", ["Nonsense", "Com", "Comedies", "%", "Comedy_"])
def test_unknown_category_is_an_empty_result_not_an_error(get_films: Any, name: str) -> None:
    assert get_films(f"category={name}") == {"films": [], "total": 0, "skip": 0, "limit": 10}


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("rating=G", 178),
        ("rating=PG-13", 223),
        ("rating=nc-17", 210),
        ("rating=G&rating=PG", 372),
        ("rating=G,PG", 372),
        ("rating=R,NC-17&rating=PG-13", 628),
    ],
)
def test_rating_filter_takes_one_or_several(get_films: Any, query: str, total: int) -> None:
    page = get_films(query + "&limit=100")
    assert page["total"] == total
    wanted = {part.upper() for value in query.split("&") for part in value[7:].split(",")}
    assert {film["rating"] for film in page["films"]} <= wanted


def test_streaming_filter_selects_on_the_flag(get_films: Any) -> None:
    # Pagila ships every film not streaming; flag three (rolled back with the test).
    Film.objects.filter(pk__in=[3, 500, 1000]).update(streaming_available=True)
    assert ids(get_films("streaming_available=true")) == [3, 500, 1000]
    assert get_films("streaming_available=TRUE")["total"] == 3
    assert get_films("streaming_available=1")["total"] == 3
    assert get_films("streaming_available=false")["total"] == 997
    assert get_films("streaming_available=false&limit=3")["films"][2]["film_id"] == 4
    assert get_films("streaming_available=0")["total"] == 997


@pytest.mark.parametrize(
    ("ordering", "key", "descending"),
    [
        ("title", "title", False),
        ("-title", "title", True),
        ("rental_rate", "rental_rate", False),
        ("-rental_rate", "rental_rate", True),
        ("length", "length", False),
        ("-length", "length", True),
        ("release_year", "release_year", False),
        ("-release_year", "release_year", True),
    ],
)
def test_ordering_sorts_by_the_field_then_film_id(
    get_films: Any, ordering: str, key: str, descending: bool
) -> None:
    films = get_films(f"ordering={ordering}&limit=100")["films"]
    rows = [(float(f[key]) if key == "rental_rate" else f[key], f["film_id"]) for f in films]
    assert rows == sorted(
        rows, key=lambda r: (r[0], -r[1] if descending else r[1]), reverse=descending
    )
    everything = Film.objects.order_by(ordering, "film_id").values_list("pk", flat=True)[:100]
    assert [f["film_id"] for f in films] == list(everything)


def test_ordering_extremes_are_real_pagila_films(get_films: Any) -> None:
    assert get_films("ordering=title&limit=1")["films"][0]["title"] == "ACADEMY DINOSAUR"
    assert get_films("ordering=-title&limit=1")["films"][0]["title"] == "ZORRO ARK"
    shortest = get_films("ordering=length&limit=3")["films"]
    assert [(f["title"], f["length"]) for f in shortest] == [
        ("ALIEN CENTER", 46),
        ("IRON MOON", 46),
        ("KWAI HOMEWARD", 46),
    ]
    assert get_films("ordering=-length&limit=1")["films"][0]["length"] == 185
    # Every film is from 2006: release_year order falls back to film_id.
    assert ids(get_films("ordering=-release_year&limit=3")) == [1, 2, 3]


def test_several_ordering_keys_apply_in_turn(get_films: Any) -> None:
    films = get_films("ordering=-rental_rate,title&limit=100")["films"]
    assert {f["rental_rate"] for f in films} == {"4.99"}
    titles = [f["title"] for f in films]
    assert titles == sorted(titles)


def test_filters_combine_with_and(get_films: Any) -> None:
    page = get_films("category=comedy&rating=PG-13,R&search=drama&ordering=-length&limit=100")
    expected = Film.objects.filter(
        categories__name="Comedy", rating__in=["PG-13", "R"], description__icontains="drama"
    ).order_by("-length", "film_id")
    assert page["total"] == expected.count() > 0
    assert ids(page) == list(expected.values_list("pk", flat=True))


def test_film_detail_has_categories_actors_language_features_and_stock(client: Client) -> None:
    response = client.get("/api/v1/films/1")
    assert response.status_code == 200
    film = response.json()
    assert film["title"] == "ACADEMY DINOSAUR"
    assert film["language"] == "English"
    assert film["original_language"] is None
    assert film["categories"] == ["Documentary"]
    assert film["special_features"] == ["Deleted Scenes", "Behind the Scenes"]
    assert film["rental_rate"] == "0.99"
    assert len(film["actors"]) == 10
    assert film["actors"][0] == {"actor_id": 40, "first_name": "JOHNNY", "last_name": "CAGE"}
    assert {"actor_id": 1, "first_name": "PENELOPE", "last_name": "GUINESS"} in film["actors"]
    # Film 1: four copies in each store; one copy in store 2 is still rented out.
    assert film["stores"] == [
        {"store_id": 1, "copies": 4, "in_stock": 4},
        {"store_id": 2, "copies": 4, "in_stock": 3},
    ]


def test_film_without_copies_lists_both_stores_with_zero(client: Client) -> None:
    film = client.get("/api/v1/films/14").json()
    assert film["stores"] == [
        {"store_id": 1, "copies": 0, "in_stock": 0},
        {"store_id": 2, "copies": 0, "in_stock": 0},
    ]


@pytest.mark.parametrize("film_id", ["0", "1001", "2147483647", "2147483648", "9" * 40])
def test_unknown_film_is_a_404_problem(client: Client, film_id: str) -> None:
    response = client.get(f"/api/v1/films/{film_id}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["status"]) == ("not_found", 404)


@pytest.mark.parametrize("path", ["/api/v1/films/abc", "/api/v1/films/-1", "/api/v1/films/1/x"])
def test_non_numeric_film_paths_are_404_problems(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
