"""GET /rentals/overdue: open rentals past due, most overdue first, counted as SQL counts them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from rentals.models import Rental
from rentals.representation import RENTAL_FIELDS
from tests.baker_recipes import open_rental
from tests.pagila_facts import ACTIVE_CUSTOMER, IN_STOCK_COPY

pytestmark = pytest.mark.django_db

OVERDUE = "/api/v1/rentals/overdue"
# Counted here without the project's functions: open, and due (rental date plus the film's
# duration in days) before now; optionally of one store's copies or one customer.
COUNT_HERE = """
SELECT count(*) FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id
  JOIN film f ON f.film_id = i.film_id
 WHERE r.return_date IS NULL AND r.rental_date + make_interval(days => f.rental_duration) < now()
   AND (%(store)s::integer IS NULL OR i.store_id = %(store)s)
   AND (%(customer)s::integer IS NULL OR r.customer_id = %(customer)s)
"""


def count_here(store: int | None = None, customer: int | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(COUNT_HERE, {"store": store, "customer": customer})
        return int(cursor.fetchone()[0])


@pytest.mark.parametrize(
    ("params", "total"),
    [
        ({}, 183),
        ({"store_id": "1"}, 92),
        ({"store_id": "2"}, 91),
        ({"customer_id": "75"}, 3),
        ({"customer_id": "75", "store_id": "2"}, 2),
        ({"store_id": "3"}, 0),
        ({"customer_id": "1"}, 0),
    ],
)
def test_the_total_is_the_sql_count_of_open_rentals_past_due(
    api: APIClient, params: dict[str, str], total: int
) -> None:
    response = api.get(OVERDUE, params)

    assert response.status_code == 200, response.content
    store, customer = params.get("store_id"), params.get("customer_id")
    expected = count_here(int(store) if store else None, int(customer) if customer else None)
    assert response.json()["total"] == expected == total


def test_most_overdue_first_with_due_date_days_overdue_and_amount_due(api: APIClient) -> None:
    body = api.get(OVERDUE, {"limit": 100}).json()
    rentals = body["rentals"]

    assert (body["skip"], body["limit"], len(rentals)) == (0, 100, 100)
    due_dates = [r["due_date"] for r in rentals]
    assert due_dates == sorted(due_dates)
    days = [r["days_overdue"] for r in rentals]
    assert days == sorted(days, reverse=True)
    first = rentals[0]
    # Rented 2022-02-14 15:16:03 like 181 others; a 3-day film is due first.
    assert first["rental_date"] == "2022-02-14T15:16:03Z"
    assert first["due_date"] == "2022-02-17T15:16:03Z"
    assert list(first) == [*RENTAL_FIELDS, "due_date", "days_overdue", "amount_due"]


def test_amount_due_is_what_the_return_then_charges(api: APIClient) -> None:
    overdue = api.get(OVERDUE, {"customer_id": 155}).json()["rentals"]
    # Both rented 2022-02-14 15:16:03; HYDE DOCTOR is a 5-day film, CHASING FIGHT a 7-day one.
    assert [(r["rental_id"], r["film"]["title"]) for r in overdue] == [
        (11496, "HYDE DOCTOR"),
        (12352, "CHASING FIGHT"),
    ]
    hyde_doctor = overdue[0]
    kept = timezone.now() - datetime(2022, 2, 14, 15, 16, 3, tzinfo=UTC)

    assert hyde_doctor["days_overdue"] == kept.days - 5
    assert hyde_doctor["amount_due"] == "14.98"  # $2.99 and the $11.99 replacement: lost
    paid = api.post("/api/v1/rentals/11496/return").json()["payment"]["amount"]
    assert paid == hyde_doctor["amount_due"]
    assert api.get(OVERDUE).json()["total"] == 182


def test_a_copy_just_past_due_is_overdue_by_zero_whole_days(api: APIClient) -> None:
    # ACADEMY DINOSAUR is a 6-day film: rented 6 days and an hour ago, due an hour ago.
    late = open_rental.make(
        inventory_id=IN_STOCK_COPY, rental_date=timezone.now() - timedelta(days=6, hours=1)
    )
    body = api.get(OVERDUE, {"customer_id": ACTIVE_CUSTOMER}).json()

    assert body["total"] == 1
    (rental,) = body["rentals"]
    assert (rental["rental_id"], rental["days_overdue"], rental["amount_due"]) == (
        late.pk,
        0,
        "0.99",
    )
    Rental.objects.filter(pk=late.pk).update(rental_date=timezone.now() - timedelta(days=5))
    assert api.get(OVERDUE, {"customer_id": ACTIVE_CUSTOMER}).json()["total"] == 0


def test_the_list_is_two_queries(api: APIClient, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):
        body = api.get(OVERDUE, {"limit": 100, "skip": 100}).json()
    assert len(body["rentals"]) == 83
    assert sum(Decimal(r["amount_due"]) for r in body["rentals"]) > 0


@pytest.mark.parametrize(
    "params",
    [
        {"store_id": "one"},
        {"store_id": "0"},
        {"customer_id": "-5"},
        {"customer_id": "1.5"},
        {"store_id": str(2**31)},
        {"limit": "101"},
    ],
)
def test_a_bad_filter_is_400_naming_it(api: APIClient, params: dict[str, str]) -> None:
    response = api.get(OVERDUE, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == list(params)


def test_the_overdue_route_does_not_clash_with_one_rental(api: APIClient, anon: APIClient) -> None:
    assert api.get("/api/v1/rentals/11496").json()["rental_id"] == 11496
    assert api.post(OVERDUE).status_code == 405
    assert api.get(f"{OVERDUE}/return").status_code == 404
    assert anon.get(OVERDUE).status_code == 401
