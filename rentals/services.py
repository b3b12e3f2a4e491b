"""Rental writes and their rules: renting a copy out and taking it back."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Exists, Value
from django.utils import timezone

from pagila_site.pagila.fields import is_pg_int_id
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
from rentals.selectors import rental_queryset

# The partial unique index (migration 0003) that backs the one-open-rental-per-copy rule.
ONE_OPEN_RENTAL_PER_COPY = "rental_one_open_per_inventory"
# What the API's representation of a rental reads of its copy and film (RentalSerializer);
# loading only these skips the film's long columns (description, fulltext, features).
RESPONSE_INVENTORY_FIELDS = ("inventory_id", "store_id", "film_id", "film__film_id", "film__title")
RESPONSE_RENTAL_FIELDS = (
    "rental_id",
    "rental_date",
    "inventory_id",
    "customer_id",
    "staff_id",
    "return_date",
    *(f"inventory__{name}" for name in RESPONSE_INVENTORY_FIELDS),
)


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
    # The customer's `active` flag and whether the staff member exists, in one query.
    staff_exists = (
        Exists(Staff.objects.filter(pk=staff_id)) if is_pg_int_id(staff_id) else Value(False)
    )
    found = (
        Customer.objects.filter(pk=customer_id)
        .annotate(staff_exists=staff_exists)
        .values_list("active", "staff_exists")
        .first()
        if is_pg_int_id(customer_id)
        else None
    )
    if found is None:
        raise CustomerNotFound(customer_id)
    active, staff_found = found
    inventory = (
        Inventory.objects.select_related("film")
        .only(*RESPONSE_INVENTORY_FIELDS)
        .select_for_update(no_key=True, of=("self",))
        .filter(pk=inventory_id)
        .first()
        if is_pg_int_id(inventory_id)
        else None
    )
    if inventory is None:
        raise InventoryNotFound(inventory_id)
    if not staff_found:
        raise StaffNotFound(staff_id)
    if not Customer(active=active).is_active:  # the model's rule, on the flag just read
        raise CustomerInactive(customer_id)
    if Rental.objects.open().filter(inventory_id=inventory_id).exists():
        raise CopyNotAvailable(inventory_id)
    try:
        return Rental.objects.create(
            rental_date=timezone.now(),
            inventory=inventory,
            customer_id=customer_id,
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
        rental_queryset()
        .only(*RESPONSE_RENTAL_FIELDS)
        .select_for_update(no_key=True, of=("self",))
        .filter(pk=rental_id)
        .first()
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
