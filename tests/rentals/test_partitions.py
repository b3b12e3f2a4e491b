"""Payments on any date: monthly partitions laid out like Pagila's, made ahead by `migrate`, and a
default partition for every other date (rentals migration 0007), and the migration's reversal.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import ProgrammingError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from rentals.payment_partitions import PARTITION_MONTHS_AHEAD
from rentals.services import rental_return
from tests.pagila_facts import OPEN_RENTAL

pytestmark = pytest.mark.django_db

PAGILA_MONTHS = [f"payment_p2022_0{month}" for month in range(1, 8)]


def rows(query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchall()


def insert_payment(payment_date: str) -> tuple[int, str]:
    """A payment for rental 1 (customer 130, staff 1) on that date: its id and its partition."""
    ((payment_id, partition),) = rows(
        "INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) "
        "VALUES (130, 1, 1, 2.99, %s) RETURNING payment_id, tableoid::regclass::text",
        [payment_date],
    )
    return payment_id, partition


def partitions() -> dict[str, str]:
    """Each partition of `payment` and its bounds."""
    return dict(
        rows(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'payment'::regclass"
        )
    )


def layout(partition: str) -> list[str]:
    """A partition's foreign keys and indexes, its name written as NAME."""
    constraints = rows(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [partition],
    )
    indexes = rows(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
        [partition, "%customer_id_idx"],  # Pagila's second, duplicate customer_id index
    )
    return sorted(
        f"{name}: {definition}".replace(partition, "NAME")
        for name, definition in [*constraints, *indexes]
    )


def months_ahead() -> list[str]:
    today = timezone.now().date().replace(day=1)
    names = []
    for ahead in range(PARTITION_MONTHS_AHEAD + 1):
        year, month = divmod(today.month - 1 + ahead, 12)
        names.append(f"payment_p{today.year + year}_{month + 1:02d}")
    return names


def test_pagila_months_stay_and_this_month_and_the_next_three_have_partitions() -> None:
    bounds = partitions()

    assert bounds["payment_p2022_03"] == (
        "FOR VALUES FROM ('2022-03-01 00:00:00+00') TO ('2022-04-01 00:00:00+00')"
    )
    assert set(bounds) == {*PAGILA_MONTHS, *months_ahead(), "payment_default"}
    assert bounds["payment_default"] == "DEFAULT"


def test_a_new_months_partition_has_pagilas_keys_and_indexes() -> None:
    this_month = months_ahead()[0]

    assert layout(this_month) == layout("payment_p2022_01")
    assert layout("payment_default") == layout("payment_p2022_01")
    assert len(layout(this_month)) == 6  # customer, rental, staff: a foreign key; two indexes


@pytest.mark.parametrize(
    "payment_date", ["2100-01-15 12:00:00+00", "2021-12-31 23:59:59+00", "2023-05-01 00:00:00+00"]
)
def test_a_payment_dated_beyond_every_monthly_partition_lands_in_the_default(
    payment_date: str,
) -> None:
    payment_id, partition = insert_payment(payment_date)

    assert partition == "payment_default"
    assert rows("SELECT amount::text FROM payment WHERE payment_id = %s", [payment_id]) == [
        ("2.99",)
    ]


def test_making_a_months_partition_moves_that_months_payments_out_of_the_default() -> None:
    in_month, _ = insert_payment("2100-01-31 23:59:59+00")
    next_month, _ = insert_payment("2100-02-01 00:00:00+00")

    assert rows("SELECT pagila_payment_partition('2100-01-20')") == [("payment_p2100_01",)]

    where = dict(
        rows(
            "SELECT payment_id, tableoid::regclass::text FROM payment "
            "WHERE payment_date >= '2100-01-01'"
        )
    )
    assert where == {in_month: "payment_p2100_01", next_month: "payment_default"}
    assert partitions()["payment_p2100_01"] == (
        "FOR VALUES FROM ('2100-01-01 00:00:00+00') TO ('2100-02-01 00:00:00+00')"
    )
    assert layout("payment_p2100_01") == layout("payment_p2022_01")
    assert rows("SELECT pagila_payment_partition('2100-01-01')") == [("payment_p2100_01",)]


def test_every_migrate_makes_the_months_ahead_that_are_missing() -> None:
    last = months_ahead()[-1]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {last}")
    assert last not in partitions()

    call_command("migrate", verbosity=0)

    assert last in partitions()
    assert layout(last) == layout("payment_p2022_01")


def migrate_rentals_to(name: str) -> None:
    MigrationExecutor(connection).migrate([("rentals", name)])


def test_the_migration_reverses_to_pagilas_seven_partitions_and_back() -> None:
    migrate_rentals_to("0006_charge_rule_and_balance")
    assert set(partitions()) == set(PAGILA_MONTHS)
    assert rows("SELECT to_regprocedure('pagila_payment_partition(date)')") == [(None,)]

    migrate_rentals_to("0008_return_records_payment")
    assert set(partitions()) == {*PAGILA_MONTHS, *months_ahead(), "payment_default"}


def test_the_reversal_refuses_to_drop_partitions_that_hold_payments() -> None:
    rental_return(rental_id=OPEN_RENTAL)

    with pytest.raises(ProgrammingError, match="holds payments"):
        migrate_rentals_to("0006_charge_rule_and_balance")
