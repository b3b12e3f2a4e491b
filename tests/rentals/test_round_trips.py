"""Renting and returning cost one database query each, outside any transaction of the caller."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from rentals.models import Inventory, Rental
from rentals.services import rental_create, rental_return
from tests.clients import rentals_url, return_url
from tests.pagila_facts import (
    ACTIVE_CUSTOMER,
    IN_STOCK_COPY,
    OPEN_RENTALS,
    OUT_COPY,
    STAFF,
)

# Committed for real (no test transaction): restore_rentals deletes what the tests create.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_services_make_one_query_each(
    restore_rentals: int, django_assert_num_queries: Any
) -> None:
    assert connection.get_autocommit()

    with django_assert_num_queries(1):
        rental = rental_create(customer_id=ACTIVE_CUSTOMER, inventory_id=IN_STOCK_COPY, staff_id=2)
    with django_assert_num_queries(1):
        returned = rental_return(rental_id=rental.pk).rental

    stored = Rental.objects.get(pk=rental.pk)
    assert stored.rental_id > restore_rentals
    assert (stored.customer_id, stored.inventory_id, stored.staff_id) == (1, IN_STOCK_COPY, 2)
    assert (stored.rental_date, stored.return_date) == (rental.rental_date, returned.return_date)
    assert stored.rental_date <= stored.return_date  # type: ignore[operator]


def test_the_api_makes_one_query_per_rental_and_per_return(
    restore_rentals: int, django_assert_num_queries: Any, api: APIClient
) -> None:
    body = {"inventory_id": IN_STOCK_COPY, "staff_id": STAFF}

    with django_assert_num_queries(1):
        created = api.post(rentals_url(ACTIVE_CUSTOMER), body, format="json")
    assert created.status_code == 201
    rental_id = created.json()["rental_id"]
    assert not Inventory.objects.in_stock().filter(pk=IN_STOCK_COPY).exists()

    with django_assert_num_queries(1):
        returned = api.post(return_url(rental_id))
    assert returned.status_code == 200
    assert Rental.objects.get(pk=rental_id).return_date is not None
    assert Inventory.objects.in_stock().filter(pk=IN_STOCK_COPY).exists()


def test_a_refusal_is_one_query_too_and_writes_nothing(
    restore_rentals: int, django_assert_num_queries: Any, api: APIClient
) -> None:
    with django_assert_num_queries(1):
        response = api.post(return_url(1))

    assert response.status_code == 409
    assert Rental.objects.filter(rental_id__gt=restore_rentals).count() == 0
    assert Rental.objects.open().count() == OPEN_RENTALS


def test_a_refusal_leaves_the_connection_trusted(restore_rentals: int, api: APIClient) -> None:
    # After a database error other than an integrity error, Django pings the connection with
    # `SELECT 1` when the request ends; a rule's refusal is an integrity error, so it does not.
    body = {"inventory_id": OUT_COPY, "staff_id": STAFF}
    response = api.post(rentals_url(ACTIVE_CUSTOMER), body, format="json")

    assert response.status_code == 409
    assert connection.errors_occurred is False
