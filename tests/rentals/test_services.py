"""rental_create and rental_return called directly, as the admin and the assistant call them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from pagila_site.api.errors import DomainError
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
from rentals.services import ONE_OPEN_RENTAL_PER_COPY, rental_create, rental_return
from tests.baker_recipes import open_rental
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


def test_rental_create_writes_an_open_rental_dated_now() -> None:
    before = timezone.now()
    rental = rental_create(customer_id=ACTIVE_CUSTOMER, inventory_id=IN_STOCK_COPY, staff_id=2)

    stored = Rental.objects.get(pk=rental.pk)
    assert (stored.customer_id, stored.inventory_id, stored.staff_id) == (
        ACTIVE_CUSTOMER,
        IN_STOCK_COPY,
        2,
    )
    assert stored.return_date is None
    assert before <= stored.rental_date <= timezone.now()
    assert Rental.objects.open().count() == OPEN_RENTALS + 1


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"customer_id": 600}, CustomerNotFound, None),
        ({"customer_id": 2**40}, CustomerNotFound, None),
        ({"inventory_id": 4582}, InventoryNotFound, "inventory_id"),
        ({"inventory_id": -3}, InventoryNotFound, "inventory_id"),
        ({"staff_id": 3}, StaffNotFound, "staff_id"),
        ({"customer_id": INACTIVE_CUSTOMER}, CustomerInactive, None),
        ({"inventory_id": OUT_COPY}, CopyNotAvailable, "inventory_id"),
    ],
)
def test_rental_create_refuses_with_a_domain_error_and_writes_nothing(
    kwargs: dict[str, int], error: type[DomainError], field: str | None
) -> None:
    arguments = {"customer_id": ACTIVE_CUSTOMER, "inventory_id": IN_STOCK_COPY, "staff_id": STAFF}

    with pytest.raises(error) as raised:
        rental_create(**{**arguments, **kwargs})

    assert raised.value.field == field
    assert Rental.objects.count() == RENTALS


def test_the_unknown_customer_is_reported_before_a_bad_copy_or_an_inactive_customer() -> None:
    with pytest.raises(CustomerNotFound):
        rental_create(customer_id=600, inventory_id=OUT_COPY, staff_id=3)
    with pytest.raises(InventoryNotFound):
        rental_create(customer_id=INACTIVE_CUSTOMER, inventory_id=4582, staff_id=STAFF)


def test_rental_return_closes_the_rental_once() -> None:
    rental = rental_return(rental_id=OPEN_RENTAL).rental

    assert Rental.objects.get(pk=OPEN_RENTAL).return_date == rental.return_date
    with pytest.raises(AlreadyReturned):
        rental_return(rental_id=OPEN_RENTAL)
    with pytest.raises(RentalNotFound):
        rental_return(rental_id=99999)
    assert Rental.objects.open().count() == OPEN_RENTALS - 1


def test_the_database_refuses_a_second_open_rental_of_a_copy_even_bypassing_the_service() -> None:
    out_copy = Rental.objects.get(pk=OPEN_RENTAL).inventory

    with pytest.raises(IntegrityError, match=ONE_OPEN_RENTAL_PER_COPY), transaction.atomic():
        open_rental.make(inventory=out_copy)
    assert Rental.objects.filter(inventory_id=OUT_COPY).open().count() == 1


def test_the_one_open_rental_index_is_partial_on_return_date() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [ONE_OPEN_RENTAL_PER_COPY]
        )
        (definition,) = cursor.fetchone()
    assert "UNIQUE INDEX" in definition
    assert definition.endswith("(inventory_id) WHERE (return_date IS NULL)")
