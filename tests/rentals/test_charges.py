"""The store's charge rule (rentals migration 0006): whole late days, lost copies, Pagila's own
payments, and the ORM expressions that name the SQL functions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, Max, Value

from rentals.charges import CopyLost, DaysLate, DueDate, LateFee, amount_due
from rentals.selectors import rental_queryset

pytestmark = pytest.mark.django_db

RENTED = "2022-01-01 10:00:00+00"


def one(query: str, params: list[Any]) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()


# A 3-day film with a $19.99 replacement cost, rented at RENTED and back at `until`.
@pytest.mark.parametrize(
    ("until", "days_late", "late_fee", "lost"),
    [
        ("2022-01-01 10:00:00+00", 0, "0.00", False),
        ("2022-01-05 09:59:59+00", 0, "0.00", False),  # 3 days 23:59:59 kept: no whole day late
        ("2022-01-05 10:00:00+00", 1, "1.00", False),
        ("2022-01-10 09:59:59+00", 5, "5.00", False),
        ("2022-01-10 10:00:00+00", 6, "6.00", False),  # late by exactly twice the duration
        ("2022-01-11 10:00:00+00", 7, "19.99", True),  # more than twice: lost, replacement cost
        ("2026-12-01 00:00:00+00", 1791, "19.99", True),  # 1794 days 14 hours kept
        ("2021-12-31 00:00:00+00", 0, "0.00", False),  # before the rental: nothing late
    ],
)
def test_the_late_fee_is_a_dollar_per_whole_day_late_or_the_replacement_cost_when_lost(
    until: str, days_late: int, late_fee: str, lost: bool
) -> None:
    assert one(
        "SELECT pagila_days_late(%s, %s, 3), pagila_late_fee(%s, %s, 3, 19.99)::text, "
        "pagila_copy_lost(%s, %s, 3)",
        [RENTED, until] * 3,
    ) == (days_late, late_fee, lost)


def test_the_due_date_is_the_rental_date_plus_the_duration_in_24_hour_days() -> None:
    assert one("SELECT pagila_due_date(%s, 5)::text", [RENTED]) == ("2022-01-06 10:00:00+00",)


def test_three_quarters_of_pagilas_payments_of_returned_rentals_follow_the_rule() -> None:
    matching, returned = one(
        "SELECT count(*) FILTER (WHERE p.amount = f.rental_rate + pagila_late_fee(r.rental_date, "
        "r.return_date, f.rental_duration, f.replacement_cost)), count(*) "
        "FROM payment p JOIN rental r ON r.rental_id = p.rental_id "
        "JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id "
        "WHERE r.return_date IS NOT NULL",
        [],
    )

    assert (matching, returned) == (12143, 15866)


def test_no_historical_return_was_late_enough_to_count_the_copy_lost() -> None:
    returned = rental_queryset().filter(return_date__isnull=False)

    assert returned.annotate(lost=CopyLost(F("return_date"))).filter(lost=True).count() == 0
    assert returned.annotate(late=DaysLate(F("return_date"))).aggregate(most=Max("late")) == {
        "most": 6
    }


def test_the_orm_expressions_answer_as_the_rule_computed_here_for_all_16044_rentals() -> None:
    at = datetime(2022, 9, 1, tzinfo=UTC)
    until = Value(at)
    rentals = rental_queryset().annotate(
        due=DueDate(),
        late=DaysLate(until),
        fee=LateFee(until),
        lost=CopyLost(until),
        due_amount=amount_due(until),
    )

    mismatches, lost_here = [], 0
    for rental in rentals:
        film = rental.inventory.film
        late = max(
            0, int((at - rental.rental_date).total_seconds() // 86400) - film.rental_duration
        )
        lost = late > 2 * film.rental_duration
        lost_here += lost
        fee = film.replacement_cost if lost else Decimal(late)
        expected = (rental.rental_date + timedelta(days=film.rental_duration), late, fee, lost)
        answered = (rental.due, rental.late, rental.fee, rental.lost)  # type: ignore[attr-defined]
        if answered != expected or rental.due_amount != film.rental_rate + fee:  # type: ignore[attr-defined]
            mismatches.append(rental.pk)

    assert mismatches == []
    assert rentals.count() == 16044
    # Kept until 2022-09-01, the rentals before mid-August would all count as lost.
    assert rentals.filter(lost=True).count() == lost_here == 12606
