"""films.selectors on the real data: the same reads the API, admin and assistant share."""

from __future__ import annotations

import pytest

from films import selectors
from films.models import Film
from pagila_site.api.errors import NotFound

pytestmark = pytest.mark.django_db


def test_film_list_without_filters_is_every_film_by_id() -> None:
    films = selectors.film_list()
    assert films.count() == 1000
    first = films.first()
    assert first is not None
    assert (first.pk, first.category_names, str(first.language)) == (  # type: ignore[attr-defined]
        1,
        ["Documentary"],
        "English",
    )


def test_film_list_takes_the_same_filters_as_the_api() -> None:
    films = selectors.film_list(
        category="COMEDY", ratings=["PG-13", "R"], search="drama", ordering=["-length"]
    )
    expected = Film.objects.filter(
        categories__name="Comedy", rating__in=["PG-13", "R"], description__icontains="drama"
    ).order_by("-length", "film_id")
    assert list(films.values_list("pk", flat=True)) == list(expected.values_list("pk", flat=True))
    assert films.count() == 1  # one PG-13 Comedy (film 905) with "drama" in its description
    assert all(film.category_names == ["Comedy"] for film in films)  # type: ignore[attr-defined]


def test_film_list_streaming_filter() -> None:
    Film.objects.filter(pk=7).update(streaming_available=True)
    assert list(selectors.film_list(streaming_available=True).values_list("pk", flat=True)) == [7]
    assert selectors.film_list(streaming_available=False).count() == 999


def test_ordering_rejects_fields_outside_the_allowed_set() -> None:
    with pytest.raises(ValueError, match="fulltext"):
        selectors.films_ordered(Film.objects.all(), ["fulltext"])


def test_film_detail_carries_actors() -> None:
    film = selectors.film_detail(1)
    assert [a.last_name for a in film.actors.all()][:2] == ["CAGE", "DUKAKIS"]


@pytest.mark.parametrize("film_id", [0, -1, 1001, 2**31])
def test_film_detail_of_an_unknown_id_raises_not_found(film_id: int) -> None:
    with pytest.raises(NotFound):
        selectors.film_detail(film_id)
