"""The list's lean rendering is exactly what the DRF serializer made of every Pagila film."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer

from films import selectors
from films.serializers import FilmSerializer, render_film_page

pytestmark = pytest.mark.django_db


def test_every_film_renders_byte_for_byte_like_the_serializer() -> None:
    films = selectors.film_rows()
    rows = selectors.film_page(films, skip=0, limit=1000)
    assert len(rows) == 1000
    expected = {
        "films": FilmSerializer(films, many=True).data,
        "total": 1000,
        "skip": 0,
        "limit": 1000,
    }
    assert render_film_page(rows, total=1000, skip=0, limit=1000) == JSONRenderer().render(expected)


def test_a_film_without_categories_description_or_rating_renders_nulls() -> None:
    rate, cost = Decimal("4.99"), Decimal("19.99")
    row: tuple[object, ...] = (
        7,
        "T",
        None,
        None,
        "English             ",
        None,
        3,
        rate,
        cost,
        None,
        True,
        [],
    )
    body = render_film_page([row], total=1, skip=0, limit=10)
    assert body == (
        b'{"films":[{"film_id":7,"title":"T","description":null,"release_year":null,'
        b'"language":"English","length":null,"rental_duration":3,"rental_rate":"4.99",'
        b'"replacement_cost":"19.99","rating":null,"streaming_available":true,"categories":[]}],'
        b'"total":1,"skip":0,"limit":10}'
    )
