"""Taking a copy back records its payment: the amount and its parts, who took it, and nothing
half-written when the payment cannot be.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone
from rest_framework.test import APIClient

from rentals.models import Payment, Rental
from rentals.services import rental_return
from tests.baker_recipes import open_rental
from tests.clients import return_url
from tests.pagila_facts import ACTIVE_CUSTOMER, IN_STOCK_COPY, OPEN_RENTAL

pytestmark = pytest.mark.django_db

PAGILA_PAYMENTS = 16049
# HYDE DOCTOR (rate $2.99, 5 days, replacement $11.99), out with customer 155 since 2022-02-14.
HYDE_DOCTOR_RENTAL = OPEN_RENTAL
# Refuses every payment dated after Pagila's own: the insert of any return fails.
NO_NEW_PAYMENTS = (
    "ALTER TABLE payment ADD CONSTRAINT test_no_new_payments CHECK (payment_date < '2023-01-01')"
)


def partition_of(payment_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM payment WHERE payment_id = %s", [payment_id]
        )
        return str(cursor.fetchone()[0])


def test_returning_a_copy_kept_since_2022_charges_its_replacement_cost(api: APIClient) -> None:
    response = api.post(return_url(HYDE_DOCTOR_RENTAL))

    assert response.status_code == 200, response.content
    body = response.json()
    payment = body["payment"]
    assert list(payment) == [
        "payment_id",
        "payment_date",
        "staff_id",
        "amount",
        "rental_fee",
        "late_fee",
        "lost",
    ]
    assert (payment["amount"], payment["rental_fee"], payment["late_fee"]) == (
        "14.98",
        "2.99",
        "11.99",
    )
    assert payment["lost"] is True
    assert payment["staff_id"] == body["staff_id"] == 1
    assert payment["payment_date"] == body["return_date"]

    stored = Payment.objects.get(payment_id=payment["payment_id"])
    assert (stored.rental_id, stored.customer_id, stored.staff_id) == (HYDE_DOCTOR_RENTAL, 155, 1)
    assert stored.amount == Decimal("14.98")
    assert stored.payment_date == Rental.objects.get(pk=HYDE_DOCTOR_RENTAL).return_date
    # Dated today: the month's partition, made by `migrate`, beyond Pagila's 2022 ones.
    assert partition_of(stored.payment_id) == f"payment_p{stored.payment_date:%Y_%m}"
    assert Payment.objects.count() == PAGILA_PAYMENTS + 1


def test_a_copy_back_on_time_pays_the_rental_rate_only(api: APIClient) -> None:
    rented = api.post(
        f"/api/v1/customers/{ACTIVE_CUSTOMER}/rentals",
        {"inventory_id": IN_STOCK_COPY, "staff_id": 1},
        format="json",
    ).json()

    payment = api.post(return_url(rented["rental_id"])).json()["payment"]

    # ACADEMY DINOSAUR rents at $0.99.
    assert (payment["amount"], payment["rental_fee"], payment["late_fee"]) == (
        "0.99",
        "0.99",
        "0.00",
    )
    assert payment["lost"] is False


def test_a_copy_back_a_few_days_late_pays_a_dollar_per_whole_day(api: APIClient) -> None:
    # ACADEMY DINOSAUR, 6 days: rented 9 days and 5 hours ago, it is 3 whole days late.
    rental = open_rental.make(
        inventory_id=IN_STOCK_COPY,
        staff_id=2,
        rental_date=timezone.now() - timedelta(days=9, hours=5),
    )

    payment = api.post(return_url(rental.pk)).json()["payment"]

    assert (payment["amount"], payment["late_fee"], payment["lost"]) == ("3.99", "3.00", False)
    assert payment["staff_id"] == 2  # the rental's staff member, no body given


def test_the_staff_member_in_the_body_takes_the_payment(api: APIClient) -> None:
    response = api.post(return_url(HYDE_DOCTOR_RENTAL), {"staff_id": 2}, format="json")

    assert response.status_code == 200
    assert (response.json()["staff_id"], response.json()["payment"]["staff_id"]) == (1, 2)
    assert (
        Payment.objects.get(rental_id=HYDE_DOCTOR_RENTAL, payment_date__year__gt=2022).staff_id == 2
    )


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ('{"staff_id": 3}', "invalid_reference", "staff_id"),
        ('{"staff_id": "2"}', "invalid", "staff_id"),
        ('{"staff_id": 0}', "invalid", "staff_id"),
        ('{"staff_id": null}', "invalid", "staff_id"),
        ('{"staff": 2}', "invalid", "staff"),
        ("[2]", "invalid", "non_field_errors"),
        ("null", "invalid", "non_field_errors"),
    ],
)
def test_a_bad_return_body_is_400_and_returns_nothing(
    api: APIClient, body: str, code: str, field: str
) -> None:
    response = api.post(return_url(HYDE_DOCTOR_RENTAL), body, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert (response.json()["code"], list(response.json()["errors"])) == (code, [field])
    assert Rental.objects.get(pk=HYDE_DOCTOR_RENTAL).return_date is None
    assert Payment.objects.count() == PAGILA_PAYMENTS


def test_an_unknown_rental_is_reported_before_an_unknown_staff_member(api: APIClient) -> None:
    response = api.post(return_url(99999), {"staff_id": 3}, format="json")

    assert (response.status_code, response.json()["code"]) == (404, "rental_not_found")


def test_a_returned_rental_with_an_unknown_staff_member_names_the_staff_member(
    api: APIClient,
) -> None:
    response = api.post(return_url(1), {"staff_id": 3}, format="json")

    assert (response.status_code, response.json()["detail"]) == (
        400,
        "Staff member 3 does not exist.",
    )


@pytest.fixture
def payments_refused() -> Iterator[None]:
    """The payment table refuses new payments until the test ends (committed tests included)."""
    with connection.cursor() as cursor:
        cursor.execute(NO_NEW_PAYMENTS)
    yield
    if connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE payment DROP CONSTRAINT test_no_new_payments")


def test_when_the_payment_cannot_be_written_the_return_is_rolled_back(
    payments_refused: None,
) -> None:
    with pytest.raises(IntegrityError, match="test_no_new_payments"):
        rental_return(rental_id=HYDE_DOCTOR_RENTAL)

    assert Rental.objects.get(pk=HYDE_DOCTOR_RENTAL).return_date is None
    assert Payment.objects.count() == PAGILA_PAYMENTS


def test_through_the_api_a_failed_payment_is_a_500_and_the_copy_stays_out(
    payments_refused: None, api: APIClient
) -> None:
    response = api.post(return_url(HYDE_DOCTOR_RENTAL), {"staff_id": 2}, format="json")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert Rental.objects.get(pk=HYDE_DOCTOR_RENTAL).return_date is None
    assert Rental.objects.open().count() == 183
    assert Payment.objects.count() == PAGILA_PAYMENTS


@pytest.mark.django_db(transaction=True)
def test_outside_any_transaction_the_return_and_its_payment_fail_as_one_statement(
    payments_refused: None, api: APIClient
) -> None:
    assert connection.get_autocommit()

    response = api.post(return_url(HYDE_DOCTOR_RENTAL))

    assert response.status_code == 500
    assert Rental.objects.get(pk=HYDE_DOCTOR_RENTAL).return_date is None
    assert Payment.objects.count() == PAGILA_PAYMENTS
