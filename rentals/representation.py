"""The API's rental, defined once: its fields, the SQL functions' columns, its lean JSON body."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from django.utils import timezone

from rentals.models import Rental

# A rental's fields in the API, in order (RentalSerializer's too); `film` is FILM_FIELDS.
RENTAL_FIELDS = (
    "rental_id",
    "rental_date",
    "inventory_id",
    "customer_id",
    "staff_id",
    "return_date",
    "film",
    "store_id",
)
FILM_FIELDS = ("film_id", "title")
# The row pagila_rental_create() and pagila_rental_return() return (rentals migration 0005):
# the same fields in the same order, the film's own in place of `film`.
RENTAL_COLUMNS = tuple(
    column for name in RENTAL_FIELDS for column in (FILM_FIELDS if name == "film" else (name,))
)
# The payment a return records, shown under `payment` in the return's body (after the rental's
# fields): who took it, the amount and its parts.
PAYMENT_FIELDS = (
    "payment_id",
    "payment_date",
    "staff_id",
    "amount",
    "rental_fee",
    "late_fee",
    "lost",
)
# The row pagila_rental_return() returns (rentals migration 0008): the rental's columns, then the
# payment's, its staff member as `payment_staff_id`.
RETURN_COLUMNS = RENTAL_COLUMNS + tuple(
    "payment_staff_id" if name == "staff_id" else name for name in PAYMENT_FIELDS
)
# How many of a return's columns are the rental's.
RENTAL_WIDTH = len(RENTAL_COLUMNS)
MONEY_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ReturnPayment:
    """The payment recorded when a copy came back: `amount` is `rental_fee` plus `late_fee`,
    which is the film's replacement cost when the copy was `lost` (kept too long).
    """

    payment_id: int
    payment_date: datetime
    staff_id: int
    amount: Decimal
    rental_fee: Decimal
    late_fee: Decimal
    lost: bool


@dataclass(frozen=True)
class ReturnedRental:
    """A rental whose copy came back, and the payment that its return recorded."""

    rental: Rental
    payment: ReturnPayment


def api_datetime(value: datetime | None) -> datetime | None:
    """In the current time zone, as DRF's DateTimeField shows it."""
    return None if value is None else timezone.localtime(value)


def money(value: Decimal) -> str:
    """An amount as DRF's DecimalField(decimal_places=2) shows it: a string with cents."""
    return str(value.quantize(MONEY_PLACES))


def render_rental(rental: Rental) -> bytes:
    """The rental's JSON body without a serializer: byte for byte what RentalSerializer and DRF's
    JSONRenderer make of it (tests/rentals/test_representation.py checks real rentals).
    """
    return render_rental_row(rental_columns(rental))


def render_rental_row(row: Sequence[Any]) -> bytes:
    """The body of a rental from its RENTAL_COLUMNS values, as pagila_rental_create() returns
    them: no model instance in between (render_rental's body)."""
    return render_json(rental_row_values(row))


def render_return_row(row: Sequence[Any]) -> bytes:
    """The return's JSON body from pagila_rental_return()'s row (RETURN_COLUMNS): the rental's,
    then its payment (RentalReturnSerializer's)."""
    payment_id, payment_date, staff_id, amount, rental_fee, late_fee, lost = row[RENTAL_WIDTH:]
    payment = (
        payment_id,
        api_datetime(payment_date),
        staff_id,
        money(amount),
        money(rental_fee),
        money(late_fee),
        lost,
    )
    return render_json(
        {
            **rental_row_values(row[:RENTAL_WIDTH]),
            "payment": dict(zip(PAYMENT_FIELDS, payment, strict=True)),
        }
    )


def rental_values(rental: Rental) -> dict[str, Any]:
    """The rental's fields in RENTAL_FIELDS' order, as JSON-ready values."""
    return rental_row_values(rental_columns(rental))


def rental_columns(rental: Rental) -> tuple[Any, ...]:
    """The rental's RENTAL_COLUMNS values, read from it, its copy and its film."""
    inventory = rental.inventory
    return (
        rental.rental_id,
        rental.rental_date,
        rental.inventory_id,
        rental.customer_id,
        rental.staff_id,
        rental.return_date,
        inventory.film.film_id,
        inventory.film.title,
        inventory.store_id,
    )


def rental_row_values(row: Sequence[Any]) -> dict[str, Any]:
    """RENTAL_FIELDS, as JSON-ready values, from the RENTAL_COLUMNS values of a rental."""
    rental_id, rental_date, inventory_id, customer_id, staff_id, return_date, *film, store_id = row
    values = (
        rental_id,
        api_datetime(rental_date),
        inventory_id,
        customer_id,
        staff_id,
        api_datetime(return_date),
        dict(zip(FILM_FIELDS, film, strict=True)),
        store_id,
    )
    return dict(zip(RENTAL_FIELDS, values, strict=True))


def render_json(values: dict[str, Any]) -> bytes:
    """JSON as DRF's JSONRenderer writes it (UTC as `Z`), without the renderer's overhead."""
    body = orjson.dumps(values, option=orjson.OPT_UTC_Z)
    # DRF's JSONRenderer escapes the two line separators JavaScript cannot hold in a string.
    return body.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")
