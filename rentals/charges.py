"""The store's charge rule for the ORM: expressions over its SQL functions (rentals migration 0006).

The rule is written once, in PostgreSQL; these name its functions so that querysets can use it.
Each takes a rental's `rental_date`, and the film's columns through the rental's copy.
"""

from __future__ import annotations

from django.db.models import BooleanField, DateTimeField, DecimalField, F, Func, IntegerField
from django.db.models.expressions import Combinable

RENTAL_DATE = F("rental_date")
RENTAL_RATE = F("inventory__film__rental_rate")
RENTAL_DURATION = F("inventory__film__rental_duration")
REPLACEMENT_COST = F("inventory__film__replacement_cost")


class DueDate(Func):
    """When the copy is due back: the rental date plus the film's rental_duration days."""

    function = "pagila_due_date"
    output_field = DateTimeField()

    def __init__(self) -> None:
        super().__init__(RENTAL_DATE, RENTAL_DURATION)


class DaysLate(Func):
    """Whole days the copy was (or will have been, at `until`) kept beyond its duration."""

    function = "pagila_days_late"
    output_field = IntegerField()

    def __init__(self, until: Combinable) -> None:
        super().__init__(RENTAL_DATE, until, RENTAL_DURATION)


class CopyLost(Func):
    """Late by more than twice the rental duration at `until`: the copy counts as lost."""

    function = "pagila_copy_lost"
    output_field = BooleanField()

    def __init__(self, until: Combinable) -> None:
        super().__init__(RENTAL_DATE, until, RENTAL_DURATION)


class LateFee(Func):
    """$1.00 per day late at `until`, or the film's replacement cost when the copy is lost."""

    function = "pagila_late_fee"
    output_field = DecimalField(max_digits=5, decimal_places=2)

    def __init__(self, until: Combinable) -> None:
        super().__init__(RENTAL_DATE, until, RENTAL_DURATION, REPLACEMENT_COST)


def amount_due(until: Combinable) -> Combinable:
    """The rental's whole charge if the copy came back at `until`: rate plus late fee."""
    return RENTAL_RATE + LateFee(until)
