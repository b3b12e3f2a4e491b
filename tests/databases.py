"""Throwaway copies of the Pagila template for tests whose servers write freely."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.conf import settings
from psycopg import sql

from pagila_site.pagila.loader import advisory_lock, server_conninfo
from tests.live import BASE_DIR, database_env

# Seconds to keep retrying CREATE DATABASE while another session holds the template.
TEMPLATE_BUSY_DEADLINE = 60.0


def drop(conn: psycopg.Connection, name: str) -> None:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _create_from_template(conninfo: dict[str, Any], name: str, template: str) -> None:
    deadline = time.monotonic() + TEMPLATE_BUSY_DEADLINE
    with psycopg.connect(**conninfo, dbname="postgres", autocommit=True) as conn:
        drop(conn, name)
        while True:
            try:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )
                return
            except psycopg.errors.ObjectInUse:  # another run is copying or loading the template
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)


@contextmanager
def disposable_database(name: str) -> Iterator[str]:
    """A migrated copy of the Pagila template named `name`, dropped (forcibly) on exit.

    What a server writes there (rentals, returns, idempotency keys) never reaches the test
    database, so tests that let a fuzzer or a load loose need not undo anything.
    """
    db = settings.DATABASES["default"]
    conninfo = server_conninfo(db)
    with advisory_lock(conninfo, "pagila-template"):
        _create_from_template(conninfo, name, db["TEST"]["TEMPLATE"])
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
            cwd=BASE_DIR,
            env={**os.environ, **database_env(name)},
            check=True,
            timeout=300,
        )
        yield name
    finally:
        with psycopg.connect(**conninfo, dbname="postgres", autocommit=True) as conn:
            drop(conn, name)
