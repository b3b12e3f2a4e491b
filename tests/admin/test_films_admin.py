"""The film pages: categories in the list, filters, search, streaming edits in list and bulk."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from films.models import Category, Film
from tests.admin_pages import changelist, messages_of, transaction_now
from tests.pagila_facts import CATEGORIES, COMEDY_CATEGORY, COMEDY_FILMS, FILMS

pytestmark = pytest.mark.django_db

FILM_PAGES = "/admin/films/film/"


def test_film_list_shows_each_films_categories(admin_client: Client) -> None:
    cl = changelist(admin_client, FILM_PAGES, q="ACADEMY DINOSAUR")
    assert [(film.title, film.category_names) for film in cl.result_list] == [
        ("ACADEMY DINOSAUR", ["Documentary"])
    ]


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, FILMS),
        ({"rating__exact": "G"}, 178),
        ({"categories__category_id__exact": str(COMEDY_CATEGORY)}, COMEDY_FILMS),
        ({"streaming_available__exact": "1"}, 0),
        ({"q": "dinosaur"}, 3),
        ({"q": "astronaut"}, 78),
    ],
)
def test_film_list_filters_and_searches_the_real_catalogue(
    admin_client: Client, params: dict[str, str], count: int
) -> None:
    assert changelist(admin_client, FILM_PAGES, **params).result_count == count


def test_category_5_is_comedy() -> None:
    assert Category.objects.get(pk=COMEDY_CATEGORY).name == "Comedy"


def test_bulk_actions_mark_films_available_then_not(admin_client: Client) -> None:
    before = Film.objects.get(pk=1).last_update
    response = admin_client.post(
        FILM_PAGES,
        {"action": "mark_streaming_available", "_selected_action": ["1", "2", "3"]},
        follow=True,
    )
    assert "3 film(s) marked available for streaming." in messages_of(response)
    assert sorted(Film.objects.filter(streaming_available=True).values_list("pk", flat=True)) == [
        1,
        2,
        3,
    ]
    assert Film.objects.get(pk=1).last_update > before  # Pagila's trigger, not Django

    response = admin_client.post(
        FILM_PAGES, {"action": "mark_streaming_unavailable", "_selected_action": ["2"]}, follow=True
    )
    assert "1 film(s) marked not available for streaming." in messages_of(response)
    assert sorted(Film.objects.filter(streaming_available=True).values_list("pk", flat=True)) == [
        1,
        3,
    ]
    assert changelist(admin_client, FILM_PAGES, streaming_available__exact="1").result_count == 2


def test_streaming_is_editable_in_the_list(admin_client: Client) -> None:
    untouched: dict[str, Any] = dict(Film.objects.values().get(pk=1))
    response = admin_client.post(
        f"{FILM_PAGES}?q=ACADEMY+DINOSAUR",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-film_id": "1",
            "form-0-streaming_available": "on",
            "_save": "Save",
        },
        follow=True,
    )
    assert "1 film was changed successfully." in messages_of(response)
    film: dict[str, Any] = dict(Film.objects.values().get(pk=1))
    assert {column for column in film if film[column] != untouched[column]} == {
        "streaming_available",
        "last_update",
    }
    assert film["streaming_available"] is True
    assert film["last_update"] > untouched["last_update"]


def test_editing_a_film_leaves_last_update_and_fulltext_to_pagilas_triggers(
    admin_client: Client,
) -> None:
    page = admin_client.get(f"{FILM_PAGES}1/change/")
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["special_features"] = ",".join(data["special_features"])
    data["description"] = "A moonlit heist aboard a zeppelin"
    before = Film.objects.get(pk=1)

    response = admin_client.post(f"{FILM_PAGES}1/change/", data, follow=True)

    assert response.redirect_chain[-1][0] == FILM_PAGES
    film = Film.objects.get(pk=1)
    assert film.description == "A moonlit heist aboard a zeppelin"
    assert film.last_update > before.last_update
    assert Film.objects.filter(fulltext="zeppelin").values_list("pk", flat=True).get() == 1
    assert (film.title, film.rental_rate, film.special_features) == (
        before.title,
        before.rental_rate,
        before.special_features,
    )


def test_films_cannot_be_deleted_from_the_back_office(admin_client: Client) -> None:
    response = admin_client.post(f"{FILM_PAGES}1/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Film.objects.filter(pk=1).exists()


@pytest.mark.parametrize(
    ("url", "params", "count"),
    [
        ("/admin/films/category/", {}, CATEGORIES),
        ("/admin/films/category/", {"q": "comedy"}, 1),
        ("/admin/films/language/", {}, 6),
        ("/admin/films/actor/", {}, 200),
        ("/admin/films/actor/", {"q": "GUINESS"}, 3),
    ],
)
def test_categories_languages_and_actors_are_browsed_and_searched(
    admin_client: Client, url: str, params: dict[str, str], count: int
) -> None:
    assert changelist(admin_client, url, **params).result_count == count


def test_actors_are_read_only(admin_client: Client) -> None:
    page = admin_client.get("/admin/films/actor/1/change/").content.decode()
    assert 'name="first_name"' not in page
    assert admin_client.post("/admin/films/actor/1/change/", {"first_name": "X"}).status_code == 403
    assert admin_client.get("/admin/films/actor/add/").status_code == 403


def test_a_new_film_is_indexed_by_pagilas_trigger(admin_client: Client) -> None:
    response = admin_client.post(
        f"{FILM_PAGES}add/",
        {
            "title": "ZEPPELIN NIGHTS",
            "description": "A moonlit heist aboard a zeppelin",
            "release_year": 2026,
            "language": 1,
            "rental_duration": 3,
            "rental_rate": "2.99",
            "replacement_cost": "19.99",
            "rating": "PG",
            "special_features": "Trailers",
        },
    )
    assert response.status_code == 302
    film = Film.objects.get(title="ZEPPELIN NIGHTS")
    assert film.last_update == transaction_now()  # the database's default
    assert film.special_features == ["Trailers"]
    assert list(Film.objects.filter(fulltext="zeppelin")) == [film]
    assert Film.objects.count() == FILMS + 1
