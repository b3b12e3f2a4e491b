"""The test database really is Pagila v3.1.0, migrated: the facts in tests/pagila_facts.py hold."""

import pytest
from django.db import connection

from films.models import Category, Film, Rating
from rentals.models import Customer, Inventory, Payment, Rental, Store
from tests.pagila_facts import (
    ACADEMY_DINOSAUR,
    CATEGORIES,
    COMEDY_CATEGORY,
    COMEDY_FILMS,
    CUSTOMERS,
    FILMS,
    IN_STOCK_COPY,
    INACTIVE_CUSTOMER,
    INACTIVE_CUSTOMERS,
    INVENTORY_COPIES,
    NEWEST_OPEN_RENTAL,
    NEWEST_OPEN_RENTAL_COPY,
    OPEN_RENTAL,
    OPEN_RENTALS,
    OUT_COPY,
    PAYMENTS,
    RENTALS,
    TAMMY_SANDERS,
)

pytestmark = pytest.mark.django_db


def test_catalogue_holds_the_real_pagila_counts() -> None:
    assert Film.objects.count() == FILMS
    assert Category.objects.count() == CATEGORIES
    assert Category.objects.get(pk=COMEDY_CATEGORY).name == "Comedy"
    assert Film.objects.filter(categories__name="Comedy").count() == COMEDY_FILMS


def test_customers_and_stock_hold_the_real_pagila_counts() -> None:
    assert Customer.objects.count() == CUSTOMERS
    assert Customer.objects.filter(active=0).count() == INACTIVE_CUSTOMERS
    assert not Customer.objects.get(pk=INACTIVE_CUSTOMER).is_active
    assert Store.objects.count() == 2
    assert Inventory.objects.count() == INVENTORY_COPIES
    assert Rental.objects.count() == RENTALS
    assert Rental.objects.open().count() == OPEN_RENTALS
    assert Payment.objects.count() == PAYMENTS


def test_the_rows_tests_pick_are_what_pagila_facts_says() -> None:
    in_stock = Inventory.objects.in_stock()
    assert in_stock.filter(pk=IN_STOCK_COPY, film_id=ACADEMY_DINOSAUR, store_id=1).exists()
    out = Rental.objects.open().get(inventory_id=OUT_COPY)
    assert (out.pk, out.customer_id, out.inventory.film.title) == (OPEN_RENTAL, 155, "HYDE DOCTOR")
    newest = Rental.objects.open().order_by("-rental_date", "-rental_id").first()
    assert newest is not None
    assert (newest.pk, newest.inventory_id, newest.customer_id) == (
        NEWEST_OPEN_RENTAL,
        NEWEST_OPEN_RENTAL_COPY,
        554,
    )
    assert Rental.objects.filter(customer_id=TAMMY_SANDERS).open().count() == 3


def test_in_stock_copies_are_those_without_an_open_rental() -> None:
    assert Inventory.objects.in_stock().count() == INVENTORY_COPIES - OPEN_RENTALS
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM inventory WHERE inventory_in_stock(inventory_id)")
        assert cursor.fetchone() == (INVENTORY_COPIES - OPEN_RENTALS,)


def test_pagila_types_map_faithfully() -> None:
    film = Film.objects.get(pk=ACADEMY_DINOSAUR)
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
