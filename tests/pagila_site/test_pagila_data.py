"""The test database really is Pagila v3.1.0, migrated."""

import pytest
from django.db import connection

from films.models import Category, Film, Rating
from rentals.models import Customer, Inventory, Payment, Rental, Store

pytestmark = pytest.mark.django_db


def test_catalogue_holds_the_real_pagila_counts() -> None:
    assert Film.objects.count() == 1000
    assert Category.objects.count() == 16
    assert Film.objects.filter(categories__name="Comedy").count() == 58


def test_customers_and_stock_hold_the_real_pagila_counts() -> None:
    assert Customer.objects.count() == 599
    assert Customer.objects.filter(active=0).count() == 15
    assert not Customer.objects.get(pk=16).is_active
    assert Store.objects.count() == 2
    assert Inventory.objects.count() == 4581
    assert Rental.objects.count() == 16044
    assert Rental.objects.open().count() == 183
    assert Payment.objects.count() == 16049


def test_in_stock_copies_are_those_without_an_open_rental() -> None:
    assert Inventory.objects.in_stock().count() == 4581 - 183
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM inventory WHERE inventory_in_stock(inventory_id)")
        assert cursor.fetchone() == (4581 - 183,)


def test_pagila_types_map_faithfully() -> None:
    film = Film.objects.get(pk=1)
    assert film.title == "ACADEMY DINOSAUR"
    assert film.rating == Rating.PG
    assert film.special_features == ["Deleted Scenes", "Behind the Scenes"]
    assert str(film.rental_rate) == "0.99"
    assert film.release_year == 2006
    assert film.streaming_available is False
    assert Film.objects.filter(rating__in=["R", "NC-17"], rental_rate__lt=3).count() == 269


def test_last_update_is_left_to_the_database() -> None:
    film = Film.objects.get(pk=1)
    before = film.last_update
    film.streaming_available = True
    film.save(update_fields=["streaming_available"])
    film.refresh_from_db()
    assert film.streaming_available is True
    assert film.last_update > before
