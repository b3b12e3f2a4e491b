"""The API's rental, defined once: its fields, the SQL functions' columns, its lean JSON body."""

from __future__ import annotations

from datetime import datetime

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


def api_datetime(value: datetime | None) -> datetime | None:
    """In the current time zone, as DRF's DateTimeField shows it."""
    return None if value is None else timezone.localtime(value)


def render_rental(rental: Rental) -> bytes:
    """The rental's JSON body without a serializer: byte for byte what RentalSerializer and DRF's
    JSONRenderer make of it (tests/rentals/test_representation.py checks real rentals).
    """
    inventory = rental.inventory
    values = (
        rental.rental_id,
        api_datetime(rental.rental_date),
        rental.inventory_id,
        rental.customer_id,
        rental.staff_id,
        api_datetime(rental.return_date),
        dict(zip(FILM_FIELDS, (inventory.film.film_id, inventory.film.title), strict=True)),
        inventory.store_id,
    )
    body = orjson.dumps(dict(zip(RENTAL_FIELDS, values, strict=True)), option=orjson.OPT_UTC_Z)
    # DRF's JSONRenderer escapes the two line separators JavaScript cannot hold in a string.
    return body.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")
