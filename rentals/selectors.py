"""Reads of rentals that span tables: one rental, a customer's rental history."""

from __future__ import annotations

from typing import Literal

from django.db.models import QuerySet

from rentals.errors import CustomerNotFound, RentalNotFound
from rentals.models import Customer, Rental, RentalQuerySet

# The largest value a PostgreSQL `integer` id column holds; larger ids cannot exist.
PG_INT_MAX = 2**31 - 1

RentalStatus = Literal["open", "returned"]


def is_pg_int_id(value: int) -> bool:
    """True when value can be a Pagila id (a positive PostgreSQL integer)."""
    return 0 < value <= PG_INT_MAX


def rental_queryset() -> RentalQuerySet:
    """Rentals with what their representation shows (the copy's film and store) in one query."""
    return Rental.objects.select_related("inventory__film")


def rental_get(*, rental_id: int) -> Rental:
    """The rental with this id; RentalNotFound otherwise."""
    rental = rental_queryset().filter(pk=rental_id).first() if is_pg_int_id(rental_id) else None
    if rental is None:
        raise RentalNotFound(rental_id)
    return rental


def customer_rental_list(
    *, customer_id: int, status: RentalStatus | None = None
) -> QuerySet[Rental]:
    """A customer's rentals, newest first, optionally only open or only returned ones.

    Raises CustomerNotFound when the customer does not exist (an empty history is a real answer).
    """
    if not (is_pg_int_id(customer_id) and Customer.objects.filter(pk=customer_id).exists()):
        raise CustomerNotFound(customer_id)
    rentals = rental_queryset().filter(customer_id=customer_id)
    if status == "open":
        rentals = rentals.open()
    elif status == "returned":
        rentals = rentals.filter(return_date__isnull=False)
    return rentals.order_by("-rental_date", "-rental_id")
