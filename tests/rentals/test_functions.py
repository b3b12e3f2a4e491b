"""The rental functions in PostgreSQL (migration 0005): refusals for any writer, reversal."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from rentals.errors import CopyNotAvailable
from rentals.models import Rental
from rentals.services import ONE_OPEN_RENTAL_PER_COPY, RULE_REFUSED, rental_create
from tests.pagila_facts import (
    ACTIVE_CUSTOMER,
    IN_STOCK_COPY,
    OPEN_RENTAL,
    OUT_COPY,
    RENTALS,
    STAFF,
)

pytestmark = pytest.mark.django_db

FUNCTIONS = ("pagila_rental_create(integer,integer,integer)", "pagila_rental_return(integer)")


def functions_present() -> list[bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regprocedure(%s) IS NOT NULL, to_regprocedure(%s) IS NOT NULL", FUNCTIONS
        )
        return list(cursor.fetchone())


def index_present() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [ONE_OPEN_RENTAL_PER_COPY])
        return bool(cursor.fetchone()[0])


def migrate_rentals_to(name: str) -> None:
    MigrationExecutor(connection).migrate([("rentals", name)])


def test_the_migration_drops_both_functions_and_creates_them_again() -> None:
    migrate_rentals_to("0005_rental_functions")  # before 0008 takes payments at the return
    assert functions_present() == [True, True]

    migrate_rentals_to("0004_idempotency_key_moves_to_the_api")
    assert functions_present() == [False, False]
    assert index_present(), "the index of migration 0003 stays"

    migrate_rentals_to("0005_rental_functions")
    assert functions_present() == [True, True]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rental_id, title FROM pagila_rental_return(%s)", [OPEN_RENTAL])
        assert cursor.fetchone() == (OPEN_RENTAL, "HYDE DOCTOR")


def test_a_writer_in_plain_sql_gets_the_rules_refusal_and_no_rental() -> None:
    with pytest.raises(IntegrityError) as raised, transaction.atomic(), connection.cursor() as sql:
        sql.execute(
            "SELECT * FROM pagila_rental_create(%s, %s, %s)", [ACTIVE_CUSTOMER, OUT_COPY, STAFF]
        )

    diagnostics = raised.value.__cause__.diag  # type: ignore[union-attr]
    assert (diagnostics.sqlstate, diagnostics.message_primary) == (
        RULE_REFUSED,
        "copy_not_available",
    )
    assert Rental.objects.filter(inventory_id=OUT_COPY).open().count() == 1


def test_a_refusal_inside_the_callers_transaction_leaves_it_usable() -> None:
    with transaction.atomic():
        with pytest.raises(CopyNotAvailable):
            rental_create(customer_id=ACTIVE_CUSTOMER, inventory_id=OUT_COPY, staff_id=STAFF)
        rental = rental_create(
            customer_id=ACTIVE_CUSTOMER, inventory_id=IN_STOCK_COPY, staff_id=STAFF
        )

    assert Rental.objects.get(pk=rental.pk).inventory_id == IN_STOCK_COPY
    assert Rental.objects.count() == RENTALS + 1
