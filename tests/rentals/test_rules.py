"""Every refusal of the rental rules, through the API and through the services: status, code,
the exact problem body, the rule that wins when several apply, and nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from pagila_site.api.errors import DomainError
from pagila_site.api.models import IdempotencyKey
from rentals.errors import (
    AlreadyReturned,
    CopyNotAvailable,
    CustomerInactive,
    CustomerNotFound,
    InventoryNotFound,
    RentalNotFound,
    StaffNotFound,
)
from rentals.models import Rental
from rentals.services import rental_create, rental_return
from tests.clients import rentals_url, return_url
from tests.pagila_facts import (
    ACTIVE_CUSTOMER,
    IN_STOCK_COPY,
    INACTIVE_CUSTOMER,
    OPEN_RENTAL,
    OPEN_RENTALS,
    OUT_COPY,
    RENTALS,
    STAFF,
)

pytestmark = pytest.mark.django_db

HUGE = 2**80  # more than any PostgreSQL integer type holds
RETURNED_RENTAL = 1  # returned 2022-05-26T21:04:30Z


def not_found(what: str, id_: int, code: str) -> tuple[int, dict[str, Any]]:
    return 404, {"title": "Not found", "code": code, "detail": f"{what} {id_} does not exist."}


def invalid_reference(field: str, detail: str) -> tuple[int, dict[str, Any]]:
    body = {"title": "Invalid reference", "code": "invalid_reference", "detail": detail}
    return 400, {**body, "errors": {field: [detail]}}


def conflict(code: str, title: str, detail: str, field: str | None = None) -> tuple[int, dict]:
    body: dict[str, Any] = {"title": title, "code": code, "detail": detail}
    return 409, {**body, "errors": {field: [detail]}} if field else body


def no_customer(customer_id: int) -> tuple[int, dict[str, Any]]:
    return not_found("Customer", customer_id, "customer_not_found")


def no_rental(rental_id: int) -> tuple[int, dict[str, Any]]:
    return not_found("Rental", rental_id, "rental_not_found")


UNKNOWN_COPY = invalid_reference("inventory_id", "Inventory copy 4582 does not exist.")
UNKNOWN_STAFF = invalid_reference("staff_id", "Staff member 3 does not exist.")
INACTIVE = conflict(
    "customer_inactive", "Customer inactive", "Customer 16 is inactive and cannot rent."
)
COPY_OUT = conflict(
    "copy_not_available",
    "Copy not available",
    "Inventory copy 2047 is already rented out.",
    "inventory_id",
)
RETURNED = conflict("already_returned", "Already returned", "Rental 1 was already returned.")

# (customer, copy, staff) -> the refusal; several broken rules show which is checked first.
CREATE_REFUSALS = [
    ((9999, IN_STOCK_COPY, STAFF), CustomerNotFound, no_customer(9999)),
    ((0, IN_STOCK_COPY, STAFF), CustomerNotFound, no_customer(0)),
    ((2**31, IN_STOCK_COPY, STAFF), CustomerNotFound, no_customer(2**31)),
    ((HUGE, IN_STOCK_COPY, STAFF), CustomerNotFound, no_customer(HUGE)),
    ((ACTIVE_CUSTOMER, 4582, STAFF), InventoryNotFound, UNKNOWN_COPY),
    ((ACTIVE_CUSTOMER, IN_STOCK_COPY, 3), StaffNotFound, UNKNOWN_STAFF),
    ((INACTIVE_CUSTOMER, IN_STOCK_COPY, STAFF), CustomerInactive, INACTIVE),
    ((ACTIVE_CUSTOMER, OUT_COPY, STAFF), CopyNotAvailable, COPY_OUT),
    # the order of the checks: customer, copy, staff, customer active, copy in
    ((600, 4582, 3), CustomerNotFound, no_customer(600)),
    ((INACTIVE_CUSTOMER, 4582, 3), InventoryNotFound, UNKNOWN_COPY),
    ((INACTIVE_CUSTOMER, OUT_COPY, 3), StaffNotFound, UNKNOWN_STAFF),
    ((INACTIVE_CUSTOMER, OUT_COPY, STAFF), CustomerInactive, INACTIVE),
]
RETURN_REFUSALS = [
    (99999, RentalNotFound, no_rental(99999)),
    (0, RentalNotFound, no_rental(0)),
    (2**31, RentalNotFound, no_rental(2**31)),
    (HUGE, RentalNotFound, no_rental(HUGE)),
    (RETURNED_RENTAL, AlreadyReturned, RETURNED),
]


def rental_id_sequence() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM rental_rental_id_seq")
        return int(cursor.fetchone()[0])


@pytest.fixture
def assert_nothing_written() -> Callable[[], None]:
    """After the test's refusals: Pagila's rentals as they were, no insert even attempted."""
    sequence = rental_id_sequence()

    def check() -> None:
        assert Rental.objects.count() == RENTALS
        assert Rental.objects.open().count() == OPEN_RENTALS
        assert Rental.objects.open().get(inventory_id=OUT_COPY).pk == OPEN_RENTAL
        returned = Rental.objects.get(pk=RETURNED_RENTAL).return_date
        assert returned == datetime.fromisoformat("2022-05-26T21:04:30+00:00")
        assert rental_id_sequence() == sequence
        assert not IdempotencyKey.objects.exists()

    return check


def assert_problem_body(response: Any, status: int, expected: dict[str, Any]) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    body.pop("request_id", None)
    problem_type = "https://pagila-api.invalid/problems/" + expected["code"]
    assert body == {"type": problem_type, "status": status, **expected}
    assert list(body)[:5] == ["type", "title", "status", "detail", "code"]


@pytest.mark.parametrize(("ids", "error", "problem"), CREATE_REFUSALS)
def test_each_refused_rental_has_its_status_and_problem_body_and_writes_nothing(
    api: APIClient,
    assert_nothing_written: Callable[[], None],
    ids: tuple[int, int, int],
    error: type[DomainError],
    problem: tuple[int, dict[str, Any]],
) -> None:
    customer, copy, staff = ids
    body = {"inventory_id": copy, "staff_id": staff}

    response = api.post(rentals_url(customer), body, format="json")

    assert_problem_body(response, *problem)
    assert_nothing_written()


@pytest.mark.parametrize(("rental_id", "error", "problem"), RETURN_REFUSALS)
def test_each_refused_return_has_its_status_and_problem_body_and_writes_nothing(
    api: APIClient,
    assert_nothing_written: Callable[[], None],
    rental_id: int,
    error: type[DomainError],
    problem: tuple[int, dict[str, Any]],
) -> None:
    response = api.post(return_url(rental_id))

    assert_problem_body(response, *problem)
    assert_nothing_written()


# The services are called by writers that do not validate a body first: ids of any size.
SERVICE_ONLY_REFUSALS = [
    ((ACTIVE_CUSTOMER, -3, STAFF), InventoryNotFound, "inventory_id"),
    ((ACTIVE_CUSTOMER, 2**31, STAFF), InventoryNotFound, "inventory_id"),
    ((ACTIVE_CUSTOMER, HUGE, STAFF), InventoryNotFound, "inventory_id"),
    ((ACTIVE_CUSTOMER, IN_STOCK_COPY, 0), StaffNotFound, "staff_id"),
    ((ACTIVE_CUSTOMER, IN_STOCK_COPY, 2**40), StaffNotFound, "staff_id"),
    ((-1, IN_STOCK_COPY, STAFF), CustomerNotFound, None),
]


def field_of(problem: tuple[int, dict[str, Any]]) -> str | None:
    """The field a problem body names in `errors`, if any."""
    return next(iter(problem[1].get("errors", {})), None)


@pytest.mark.parametrize(
    ("ids", "error", "field"),
    [(ids, error, field_of(problem)) for ids, error, problem in CREATE_REFUSALS]
    + SERVICE_ONLY_REFUSALS,
)
def test_rental_create_raises_the_rules_domain_error_and_writes_nothing(
    assert_nothing_written: Callable[[], None],
    ids: tuple[int, int, int],
    error: type[DomainError],
    field: str | None,
) -> None:
    customer, copy, staff = ids

    with pytest.raises(error) as raised:
        rental_create(customer_id=customer, inventory_id=copy, staff_id=staff)

    assert type(raised.value) is error
    assert raised.value.field == field
    assert_nothing_written()


@pytest.mark.parametrize(
    ("rental_id", "error", "detail"),
    [(rental_id, error, problem[1]["detail"]) for rental_id, error, problem in RETURN_REFUSALS]
    + [(-5, RentalNotFound, "Rental -5 does not exist.")],
)
def test_rental_return_raises_the_rules_domain_error_and_writes_nothing(
    assert_nothing_written: Callable[[], None],
    rental_id: int,
    error: type[DomainError],
    detail: str,
) -> None:
    with pytest.raises(error) as raised:
        rental_return(rental_id=rental_id)

    assert type(raised.value) is error
    assert raised.value.detail == detail
    assert_nothing_written()
