"""What Pagila's tables share: the range of their integer ids, the `last_update` column."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now

# The largest value of a PostgreSQL `integer`, the type of every Pagila id column.
PG_INT_MAX = 2**31 - 1


def is_pg_int_id(value: int) -> bool:
    """True when value can be a Pagila id (a positive PostgreSQL integer)."""
    return 0 < value <= PG_INT_MAX


class LastUpdateField(models.DateTimeField):
    """Pagila's `last_update`: set by the database default and its triggers, never by Django."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("db_default", Now())
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
