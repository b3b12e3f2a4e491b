"""Rental writes and their rules: renting a copy out, and taking it back with its payment."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any, TypeVar

from django.db import IntegrityError, connection, transaction

from films.models import Film
from pagila_site.api.errors import DomainError
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
from rentals.models import Inventory, Rental
from rentals.representation import (
    PAYMENT_FIELDS,
    RENTAL_COLUMNS,
    RENTAL_WIDTH,
    RETURN_COLUMNS,
    ReturnedRental,
    ReturnPayment,
)

# The partial unique index (migration 0003) that backs the one-open-rental-per-copy rule; the
# insert of pagila_rental_create() names its columns in ON CONFLICT.
ONE_OPEN_RENTAL_PER_COPY = "rental_one_open_per_inventory"
# The SQLSTATE with which the rental functions (migration 0005) refuse; the message names the rule.
# In class 23 (integrity constraint violation): Django's IntegrityError, after which it does not
# ping the connection at the end of the request as it does after other database errors.
RULE_REFUSED = "23R00"
# Each rule the functions can name: the domain error it is, and the argument that error names.
REFUSALS: dict[str, tuple[Callable[[int], DomainError], str]] = {
    "customer_not_found": (CustomerNotFound, "customer_id"),
    "inventory_not_found": (InventoryNotFound, "inventory_id"),
    "staff_not_found": (StaffNotFound, "staff_id"),
    "customer_inactive": (CustomerInactive, "customer_id"),
    "copy_not_available": (CopyNotAvailable, "inventory_id"),
    "rental_not_found": (RentalNotFound, "rental_id"),
    "already_returned": (AlreadyReturned, "rental_id"),
}
CREATE_SQL = (
    f"SELECT {', '.join(RENTAL_COLUMNS)} "  # noqa: S608 - column names, no input
    "FROM pagila_rental_create(%s::integer, %s::integer, %s::integer)"
)
RETURN_SQL = (
    f"SELECT {', '.join(RETURN_COLUMNS)} "  # noqa: S608 - column names, no input
    "FROM pagila_rental_return(%s::integer, %s::integer)"
)

LoadedModel = TypeVar("LoadedModel", Rental, Inventory, Film)


def rental_create(*, customer_id: int, inventory_id: int, staff_id: int) -> Rental:
    """Rent copy `inventory_id` to the customer (rental_create_row), as a Rental instance with
    its copy and film."""
    row = rental_create_row(customer_id=customer_id, inventory_id=inventory_id, staff_id=staff_id)
    return rental_from_row(row)


def rental_create_row(*, customer_id: int, inventory_id: int, staff_id: int) -> Sequence[Any]:
    """Rent copy `inventory_id` to the customer, recorded by the staff member, as of now; the new
    rental's RENTAL_COLUMNS values (the API renders them without model instances).

    One call of pagila_rental_create(), which checks, in order: the customer exists
    (CustomerNotFound), the copy and the staff member exist (InventoryNotFound, StaffNotFound),
    the customer is active (CustomerInactive), the copy is in (CopyNotAvailable). The copy's
    inventory row is locked until the transaction ends, so two clerks renting the same copy at
    once are served one after the other and the second sees the first's rental; the partial
    unique index is the database's own guarantee for any writer that bypasses the function.
    Creates no payment.
    """
    arguments = {"customer_id": customer_id, "inventory_id": inventory_id, "staff_id": staff_id}
    return call_rental_function(CREATE_SQL, arguments)


def rental_return(*, rental_id: int, staff_id: int | None = None) -> ReturnedRental:
    """Take the copy back now and record its payment (rental_return_row), as a Rental instance
    and its ReturnPayment."""
    row = rental_return_row(rental_id=rental_id, staff_id=staff_id)
    payment_values = dict(zip(PAYMENT_FIELDS, row[RENTAL_WIDTH:], strict=True))
    return ReturnedRental(
        rental=rental_from_row(row[:RENTAL_WIDTH]), payment=ReturnPayment(**payment_values)
    )


def rental_return_row(*, rental_id: int, staff_id: int | None = None) -> Sequence[Any]:
    """Take the copy back now and record its payment, taken by `staff_id` or the rental's staff;
    the RETURN_COLUMNS values of the rental and its payment.

    One call of pagila_rental_return(), which checks, in order: the rental exists
    (RentalNotFound), the staff member given exists (StaffNotFound), the copy is still out
    (AlreadyReturned). It locks the rental row first, so two simultaneous returns give one 200
    and one 409. The return date and the payment (the charge of rentals migration 0006, dated
    at the return) are one statement: when the payment cannot be written, neither is the return.
    """
    return call_rental_function(RETURN_SQL, {"rental_id": rental_id, "staff_id": staff_id})


def call_rental_function(sql: str, arguments: Mapping[str, int | None]) -> Sequence[Any]:
    """Run one rental function in one round trip, and return its row; its refusal becomes the
    rule's domain error.

    An id no PostgreSQL integer can hold names nothing: it goes as NULL, which the functions
    find no row for (an absent optional id is NULL too). Inside a caller's transaction (the
    admin's form, an Idempotency-Key) the call gets a savepoint, so a refusal leaves that
    transaction usable; on its own it is one statement, atomic by itself.
    """
    params = [
        value if value is not None and is_pg_int_id(value) else None for value in arguments.values()
    ]
    try:
        with savepoint_if_in_transaction(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            row: Sequence[Any] = cursor.fetchone()
    except IntegrityError as exc:
        diagnostics = getattr(exc.__cause__, "diag", None)
        if diagnostics is None or diagnostics.sqlstate != RULE_REFUSED:
            raise
        error, argument = REFUSALS[diagnostics.message_primary]
        raise error(arguments[argument]) from exc  # type: ignore[arg-type]
    return row


def savepoint_if_in_transaction() -> AbstractContextManager[Any]:
    """A savepoint when the connection is in a transaction; nothing (autocommit) otherwise."""
    return nullcontext() if connection.get_autocommit() else transaction.atomic()


def rental_from_row(row: Sequence[Any]) -> Rental:
    """A Rental with its copy and film as the functions return them (other columns deferred)."""
    values = dict(zip(RENTAL_COLUMNS, row, strict=True))
    inventory = loaded(Inventory, values)
    inventory.film = loaded(Film, values)
    rental = loaded(Rental, values)
    rental.inventory = inventory
    return rental


def loaded(model: type[LoadedModel], values: dict[str, Any]) -> LoadedModel:
    """An instance as the ORM loads one with only some columns: those of `values` it has."""
    fields = model._meta.concrete_fields
    present = [field.attname for field in fields if field.attname in values]
    return model.from_db(connection.alias, present, [values[name] for name in present])
