"""A customer's balance and payments: the API, the selector and get_customer_balance() give the
figures that SQL written here, independently of the project's functions, computes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from rentals.billing import customer_balance
from tests.pagila_facts import OPEN_RENTAL

pytestmark = pytest.mark.django_db

# Kept until `t` (its return, or `t` when it came back later or not at all): whole days kept
# read off the interval, the late part as the store's rule states it.
BALANCE_HERE = """
WITH kept AS (
    SELECT f.rental_rate, f.rental_duration, f.replacement_cost,
           extract(day FROM CASE WHEN r.return_date IS NULL OR r.return_date > %(t)s
                                 THEN %(t)s ELSE r.return_date END - r.rental_date) AS days
      FROM rental r, inventory i, film f
     WHERE i.inventory_id = r.inventory_id AND f.film_id = i.film_id
       AND r.customer_id = %(c)s AND r.rental_date <= %(t)s
)
SELECT coalesce(sum(rental_rate), 0),
       coalesce(sum(CASE WHEN days - rental_duration > 2 * rental_duration THEN replacement_cost
                         WHEN days > rental_duration THEN days - rental_duration
                         ELSE 0 END), 0),
       (SELECT coalesce(sum(amount), 0) FROM payment
         WHERE customer_id = %(c)s AND payment_date <= %(t)s)
  FROM kept
"""
CUSTOMERS = [1, 16, 75, 148, 155, 526]  # 16 is inactive; 75 has 3 copies out, 155 two
AS_OF = [
    "2022-02-14T15:16:03Z",
    "2022-06-01T00:00:00Z",
    "2022-07-31T12:00:00+02:00",
    "2026-01-01T00:00:00Z",
]


def balance_url(customer_id: int) -> str:
    return f"/api/v1/customers/{customer_id}/balance"


def payments_url(customer_id: int) -> str:
    return f"/api/v1/customers/{customer_id}/payments"


def computed_here(customer_id: int, as_of: datetime) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(BALANCE_HERE, {"c": customer_id, "t": as_of})
        rental_fees, late_fees, payments = cursor.fetchone()
    figures = {
        "balance": rental_fees + late_fees - payments,
        "rental_fees": rental_fees,
        "late_fees": late_fees,
        "payments": payments,
    }
    return {name: str(Decimal(value).quantize(Decimal("0.01"))) for name, value in figures.items()}


def get_customer_balance(customer_id: int, as_of: datetime) -> Decimal:
    with connection.cursor() as cursor:
        cursor.execute("SELECT get_customer_balance(%s, %s)", [customer_id, as_of])
        return Decimal(cursor.fetchone()[0])


@pytest.mark.parametrize("as_of", AS_OF)
@pytest.mark.parametrize("customer_id", CUSTOMERS)
def test_the_api_and_the_database_give_the_balance_computed_here(
    api: APIClient, customer_id: int, as_of: str
) -> None:
    response = api.get(balance_url(customer_id), {"as_of": as_of})

    assert response.status_code == 200, response.content
    body = response.json()
    moment = datetime.fromisoformat(as_of)
    assert body == {
        "customer_id": customer_id,
        "balance": computed_here(customer_id, moment)["balance"],
        "as_of": moment.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        **computed_here(customer_id, moment),
    }
    assert get_customer_balance(customer_id, moment) == Decimal(body["balance"])


def test_now_every_copy_still_out_since_2022_counts_as_lost(api: APIClient) -> None:
    # Customer 155 still has HYDE DOCTOR and CHASING FIGHT (rented 2022-02-14): their
    # replacement costs, $11.99 and $21.99, are most of the late fees.
    body = api.get(balance_url(155)).json()

    assert {k: body[k] for k in ("rental_fees", "late_fees", "payments", "balance")} == {
        "rental_fees": "86.75",
        "late_fees": "50.98",
        "payments": "109.75",
        "balance": "27.98",
    }
    assert body == {**body, **computed_here(155, datetime.fromisoformat(body["as_of"]))}


def test_customer_1_paid_four_dollars_more_than_the_rule_charges(api: APIClient) -> None:
    body = api.get(balance_url(1)).json()

    assert (body["rental_fees"], body["late_fees"], body["payments"]) == (
        "93.68",
        "21.00",
        "118.68",
    )
    assert body["balance"] == "-4.00"


def test_returning_a_copy_pays_its_charge_and_the_balance_drops_by_it(api: APIClient) -> None:
    before = customer_balance(customer_id=155)

    payment = api.post(f"/api/v1/rentals/{OPEN_RENTAL}/return").json()["payment"]
    after = customer_balance(customer_id=155)

    assert payment["amount"] == "14.98"
    assert (after.rental_fees, after.late_fees) == (before.rental_fees, before.late_fees)
    assert after.payments - before.payments == Decimal("14.98")
    assert after.balance == Decimal("13.00")


def test_the_balance_is_one_query(api: APIClient, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        assert api.get(balance_url(75)).status_code == 200


@pytest.mark.parametrize("customer_id", [0, 600, 2**31, 2**80])
def test_an_unknown_customer_has_no_balance_or_payments(api: APIClient, customer_id: int) -> None:
    for url in (balance_url(customer_id), payments_url(customer_id)):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "customer_not_found"


@pytest.mark.parametrize(
    "as_of",
    ["yesterday", "2022-02-30T00:00:00Z", "2022-06-01T25:00:00Z", "0001-01-01T00:00:00+01:00"],
)
def test_a_bad_as_of_is_400_naming_it(api: APIClient, as_of: str) -> None:
    response = api.get(balance_url(1), {"as_of": as_of})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["as_of"]


def test_an_empty_as_of_means_now_and_a_date_without_offset_is_utc(api: APIClient) -> None:
    assert api.get(balance_url(1), {"as_of": ""}).status_code == 200
    body = api.get(balance_url(1), {"as_of": "2022-06-01T00:00:00"}).json()
    assert body["as_of"] == "2022-06-01T00:00:00Z"


def test_the_account_needs_the_token(anon: APIClient) -> None:
    assert anon.get(balance_url(1)).status_code == 401
    assert anon.get(payments_url(1)).status_code == 401


def test_payments_are_newest_first_and_paged(
    api: APIClient, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):  # the customer, the count, the page
        body = api.get(payments_url(1), {"limit": 2}).json()

    assert (body["total"], body["skip"], body["limit"]) == (32, 0, 2)
    assert body["payments"] == [
        {
            "payment_id": 18496,
            "payment_date": "2022-07-23T09:13:13.975359Z",
            "amount": "0.99",
            "rental_id": 1422,
            "staff_id": 2,
        },
        {
            "payment_id": 18498,
            "payment_date": "2022-07-23T07:44:21.017100Z",
            "amount": "4.99",
            "rental_id": 1725,
            "staff_id": 1,
        },
    ]
    third = api.get(payments_url(1), {"skip": 2, "limit": 1}).json()["payments"]
    assert [p["payment_id"] for p in third] == [22684]


def test_a_return_puts_its_payment_first(api: APIClient) -> None:
    returned = api.post(f"/api/v1/rentals/{OPEN_RENTAL}/return").json()

    body = api.get(payments_url(155)).json()

    assert body["total"] == 26
    assert body["payments"][0]["payment_id"] == returned["payment"]["payment_id"]
    assert body["payments"][0]["amount"] == "14.98"


@pytest.mark.parametrize("params", [{"skip": "-1"}, {"limit": "0"}, {"limit": "ten"}])
def test_bad_paging_of_payments_is_400(api: APIClient, params: dict[str, str]) -> None:
    response = api.get(payments_url(1), params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(params)
