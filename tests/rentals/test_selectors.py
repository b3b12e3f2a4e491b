"""Reads that span the rentals tables: a film's copies at every store."""

from __future__ import annotations

import pytest
from django.db import connection

from films.models import Film
from rentals import selectors

pytestmark = pytest.mark.django_db


def test_stock_agrees_with_pagilas_inventory_in_stock_function() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT store_id, count(*), count(*) FILTER (WHERE inventory_in_stock(inventory_id))"
            " FROM inventory WHERE film_id = %s GROUP BY store_id",
            [2],
        )
        expected = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    stock = selectors.film_stock(film_id=2)
    assert [s.store_id for s in stock] == [1, 2]
    assert {s.store_id: (s.copies, s.in_stock) for s in stock if s.copies} == expected
    assert stock[0].copies == 0  # film 2 is only held by store 2


def test_stock_totals_over_all_films_match_pagila() -> None:
    # 4581 copies in all, 183 of them rented out now.
    copies = in_stock = 0
    for film_id in Film.objects.values_list("pk", flat=True):
        for store in selectors.film_stock(film_id=film_id):
            copies += store.copies
            in_stock += store.in_stock
    assert (copies, copies - in_stock) == (4581, 183)


def test_film_with_stock_carries_the_films_copies_per_store() -> None:
    film = selectors.film_with_stock(film_id=1)
    assert film.title == "ACADEMY DINOSAUR"
    assert [(s.store_id, s.copies, s.in_stock) for s in film.stock] == [(1, 4, 4), (2, 4, 3)]  # type: ignore[attr-defined]
