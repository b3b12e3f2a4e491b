"""Rental writes and their rules: renting a copy out and taking it back."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from rentals.errors import (
    AlreadyReturned,
    CopyNotAvailable,
    CustomerInactive,
    CustomerNotFound,
    InventoryNotFound,
    RentalNotFound,
    StaffNotFound,
)
from rentals.models import Customer, Inventory, Rental, Staff
from rentals.selectors import is_pg_int_id, rental_queryset

# The partial unique index (migration 0003) that backs the one-open-rental-per-copy rule.
ONE_OPEN_RENTAL_PER_COPY = "rental_one_open_per_inventory"


@transaction.atomic
def rental_create(*, customer_id: int, inventory_id: int, staff_id: int) -> Rental:
    """Rent copy `inventory_id` to the customer, recorded by the staff member, as of now.

    Checks, in order: the customer exists (CustomerNotFound), the copy and the staff member
    exist (InventoryNotFound, StaffNotFound), the customer is active (CustomerInactive), the copy
    is in (CopyNotAvailable). The copy's inventory row is locked until the transaction ends, so
    two clerks renting the same copy at once are served one after the other and the second sees
    the first's rental; the partial unique index is the database's own guarantee for any writer
    that bypasses this function. Creates no payment.
    """
    customer = (
        Customer.objects.filter(pk=customer_id).first() if is_pg_int_id(customer_id) else None
    )
    if customer is None:
        raise CustomerNotFound(customer_id)
    inventory = (
        Inventory.objects.select_related("film")
        .select_for_update(no_key=True, of=("self",))
        .filter(pk=inventory_id)
        .first()
        if is_pg_int_id(inventory_id)
        else None
    )
    if inventory is None:
        raise InventoryNotFound(inventory_id)
    if not (is_pg_int_id(staff_id) and Staff.objects.filter(pk=staff_id).exists()):
        raise StaffNotFound(staff_id)
    if not customer.is_active:
        raise CustomerInactive(customer_id)
    if Rental.objects.open().filter(inventory_id=inventory_id).exists():
        raise CopyNotAvailable(inventory_id)
    try:
        return Rental.objects.create(
            rental_date=timezone.now(),
            inventory=inventory,
            customer=customer,
            staff_id=staff_id,
        )
    except IntegrityError as exc:
        diagnostics = getattr(exc.__cause__, "diag", None)
        if getattr(diagnostics, "constraint_name", None) == ONE_OPEN_RENTAL_PER_COPY:
            raise CopyNotAvailable(inventory_id) from exc
        raise


@transaction.atomic
def rental_return(*, rental_id: int) -> Rental:
    """Take the copy back now; RentalNotFound, or AlreadyReturned when it came back before.

    The rental row is locked first, so two simultaneous returns give one 200 and one 409.
    """
    rental = (
        rental_queryset().select_for_update(no_key=True, of=("self",)).filter(pk=rental_id).first()
        if is_pg_int_id(rental_id)
        else None
    )
    if rental is None:
        raise RentalNotFound(rental_id)
    if rental.return_date is not None:
        raise AlreadyReturned(rental_id)
    rental.return_date = timezone.now()
    rental.save(update_fields=["return_date"])
    return rental
