"""The project's two migrations on real Pagila: what they create, and that they reverse cleanly."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection


def rows(query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchall()


def streaming_column() -> list[tuple[Any, ...]]:
    return rows(
        "SELECT data_type, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_name = 'film' AND column_name = 'streaming_available'"
    )


def subscription_table_exists() -> bool:
    return rows("SELECT to_regclass('public.streaming_subscription') IS NOT NULL")[0][0]


@pytest.mark.django_db
def test_streaming_available_is_a_non_null_false_boolean_on_all_1000_films() -> None:
    assert streaming_column() == [("boolean", "NO", "false")]
    assert rows("SELECT streaming_available, count(*) FROM film GROUP BY 1") == [(False, 1000)]


@pytest.mark.django_db
def test_streaming_subscription_columns_and_types() -> None:
    columns = rows(
        "SELECT column_name, data_type, character_maximum_length, is_nullable, is_identity "
        "FROM information_schema.columns WHERE table_name = 'streaming_subscription' "
        "ORDER BY ordinal_position"
    )
    assert sorted(columns) == sorted(
        [
            ("id", "integer", None, "NO", "YES"),
            ("plan_name", "character varying", 100, "NO", "NO"),
            ("start_date", "date", None, "NO", "NO"),
            ("end_date", "date", None, "YES", "NO"),
            ("customer_id", "integer", None, "NO", "NO"),
        ]
    )
    primary_key = rows(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = 'streaming_subscription'::regclass AND i.indisprimary"
    )
    assert primary_key == [("id",)]


@pytest.mark.django_db
def test_streaming_subscription_references_customer_checks_dates_and_indexes_customer() -> None:
    constraints = dict(
        rows(
            "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'streaming_subscription'::regclass AND contype IN ('f', 'c')"
        )
    )
    assert constraints["f"].startswith("FOREIGN KEY (customer_id) REFERENCES customer(customer_id)")
    assert "end_date >= start_date" in constraints["c"]
    assert "end_date IS NULL" in constraints["c"]
    index_definitions = [
        definition
        for (definition,) in rows(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'streaming_subscription'"
        )
    ]
    assert any("(customer_id)" in d and "UNIQUE" not in d for d in index_definitions)


@pytest.mark.django_db
def test_the_database_refuses_an_end_date_before_the_start_date() -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        rows(
            "INSERT INTO streaming_subscription (customer_id, plan_name, start_date, end_date) "
            "VALUES (1, 'basic', '2026-02-01', '2026-01-01')"
        )


@pytest.mark.django_db(transaction=True)
def test_both_migrations_reverse_to_zero_and_apply_again() -> None:
    call_command("migrate", "rentals", "zero", verbosity=0)
    call_command("migrate", "films", "zero", verbosity=0)
    assert streaming_column() == []
    assert not subscription_table_exists()
    assert rows("SELECT count(*) FROM film") == [(1000,)], "Pagila's own data is untouched"

    call_command("migrate", verbosity=0)
    assert streaming_column() == [("boolean", "NO", "false")]
    assert subscription_table_exists()
