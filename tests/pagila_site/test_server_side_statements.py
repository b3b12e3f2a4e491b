"""Queries are bound on the server, and the ones a connection repeats become prepared statements."""

from __future__ import annotations

import pytest
from django.db import connection

from films import selectors

pytestmark = pytest.mark.django_db


def test_a_query_run_again_and_again_is_prepared_once_on_the_server() -> None:
    for _ in range(8):  # psycopg prepares a query from its sixth run on a connection
        selectors.catalogue_version()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%FROM films_catalogue_version%"],
        )
        assert cursor.fetchone() == (1,)


def test_parameters_travel_apart_from_the_sql() -> None:
    with connection.cursor() as cursor:
        # Server-side binding sends $1 with psycopg's type for a small int; client-side binding
        # would paste the text 1 into the statement, which PostgreSQL reads as an integer.
        cursor.execute("SELECT pg_typeof(%s)::text", [1])
        assert cursor.fetchone() == ("smallint",)
        assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
