"""The list's JSON, built by PostgreSQL, is byte for byte what the DRF serializer makes of it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db.models import Prefetch, QuerySet
from django.test import Client
from rest_framework.renderers import JSONRenderer

from films.models import Category, Film, FilmCategory, Language
from films.serializers import FilmSerializer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cold_film_list_cache")]

PAGE_SIZE = 100


def serialized_page(films: QuerySet[Film], *, total: int, skip: int, limit: int) -> bytes:
    """What FilmSerializer and DRF's JSONRenderer make of a page of `films`: the old rendering.

    The films come from the ORM alone (language joined, categories prefetched by name), not
    from films.selectors, so the expectation shares nothing with the code under test.
    """
    by_name = Prefetch("categories", queryset=Category.objects.order_by("name"))
    page = list(films.select_related("language").prefetch_related(by_name)[skip : skip + limit])
    for film in page:
        names = [category.name for category in film.categories.all()]
        film.category_names = names  # type: ignore[attr-defined]
    data = {
        "films": FilmSerializer(page, many=True).data,
        "total": total,
        "skip": skip,
        "limit": limit,
    }
    return bytes(JSONRenderer().render(data))


def assert_every_page_is_serialized(client: Client, query: str, films: QuerySet[Film]) -> int:
    """Each page of `query` (and the empty one after) equals the old rendering; the total."""
    total = films.count()
    for skip in range(0, total + PAGE_SIZE, PAGE_SIZE):
        response = client.get(f"/api/v1/films?{query}&skip={skip}&limit={PAGE_SIZE}")
        assert response.status_code == 200
        expected = serialized_page(films, total=total, skip=skip, limit=PAGE_SIZE)
        assert response.content == expected, f"{query}&skip={skip}"
    return total


def test_every_page_of_the_whole_catalogue_renders_like_the_serializer(client: Client) -> None:
    films = Film.objects.order_by("film_id")
    assert assert_every_page_is_serialized(client, "", films) == 1000


@pytest.mark.parametrize(
    ("query", "films", "total"),
    [
        ("category=Comedy", Film.objects.filter(categories__name="Comedy"), 58),
        (
            "rating=PG-13,r&ordering=-rental_rate,title",
            Film.objects.filter(rating__in=["PG-13", "R"]).order_by("-rental_rate", "title"),
            418,
        ),
        (
            "search=drama&ordering=-length",
            Film.objects.filter(
                fulltext=SearchQuery("drama", search_type="websearch", config="english")
            ).order_by("-length"),
            106,
        ),
        (
            "category=sports&rating=NC-17&ordering=release_year,-title",
            Film.objects.filter(categories__name="Sports", rating="NC-17").order_by(
                "release_year", "-title"
            ),
            17,
        ),
        ("streaming_available=false&ordering=length", Film.objects.order_by("length"), 1000),
    ],
)
def test_every_page_of_filtered_lists_renders_like_the_serializer(
    client: Client, query: str, films: QuerySet[Film], total: int
) -> None:
    ordered = films.order_by(*films.query.order_by, "film_id")  # the list's film_id tie-break
    assert assert_every_page_is_serialized(client, query, ordered) == total


def test_films_with_nulls_odd_text_and_no_or_many_categories_render_like_the_serializer(
    client: Client,
) -> None:
    title = 'Ça "va" \\ tab\t bell\x07 🎬 <b>&</b>'
    Film.objects.filter(pk=1).update(
        title=title,
        description=None,
        release_year=None,
        length=None,
        rating=None,
        rental_rate=Decimal("0.5"),
    )
    FilmCategory.objects.filter(film_id=1).delete()
    for name in ["Sports", "Action", "Comedy"]:  # film 2 is in Horror
        FilmCategory.objects.create(film_id=2, category=Category.objects.get(name=name))
    Language.objects.filter(pk=1).update(name=" Klingon")  # character(20): padded both sides
    two = client.get("/api/v1/films?limit=2")
    assert two.json()["films"][1]["categories"] == ["Action", "Comedy", "Horror", "Sports"]
    assert two.content == serialized_page(
        Film.objects.order_by("film_id"), total=1000, skip=0, limit=2
    )
    body = client.get("/api/v1/films?limit=1").content
    assert (
        body
        == (
            '{"films":[{"film_id":1,"title":"Ça \\"va\\" \\\\ tab\\t bell\\u0007 🎬 <b>&</b>",'
            '"description":null,"release_year":null,"language":"Klingon","length":null,'
            '"rental_duration":6,"rental_rate":"0.50","replacement_cost":"20.99","rating":null,'
            '"streaming_available":false,"categories":[]}],"total":1000,"skip":0,"limit":1}'
        ).encode()
    )
