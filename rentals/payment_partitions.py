"""Monthly payment partitions made ahead on every `migrate` (why: rentals migration 0007)."""

from __future__ import annotations

from typing import Any

from django.db import connections

# Months after the current one (UTC) that get their own payment partition ahead of time.
PARTITION_MONTHS_AHEAD = 3


def make_payment_partitions_ahead(*, using: str = "default", **kwargs: Any) -> list[str]:
    """post_migrate receiver: the current month's partition and the next ones, when missing.

    Does nothing (returns []) while migration 0007 is not applied, e.g. after reversing it.
    """
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regprocedure('pagila_payment_partitions_ahead(integer)')")
        if cursor.fetchone()[0] is None:
            return []
        cursor.execute("SELECT pagila_payment_partitions_ahead(%s)", [PARTITION_MONTHS_AHEAD])
        return [name for (name,) in cursor.fetchall()]
