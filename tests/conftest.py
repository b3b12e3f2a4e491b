"""Suite-wide fixtures: the real Pagila data in a template database, copied per test run."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from pagila_site.pagila.loader import advisory_lock, server_conninfo
from tests.live import live_server_url  # noqa: F401 - the shared live-server fixture


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Load Pagila once into the template that Django copies for the test database."""
    db = settings.DATABASES["default"]
    with advisory_lock(server_conninfo(db), "pagila-template"):
        call_command("pagila_load", database_name=db["TEST"]["TEMPLATE"], verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def close_connection_pools(django_db_setup: None) -> Iterator[None]:
    """Close the pooled connections that other threads used, so the test database can be dropped.

    Requests served on other threads (the ASGI handler's pool, AsyncClient) hand their connection
    back to the process's pool, where it stays open, and async ORM calls keep theirs; without
    this the test database is still "being accessed by other users" when pytest-django drops it.
    """
    yield
    # The async ORM calls of tests (`acount()`...) ran on asgiref's one shared thread, which
    # still holds its connection: close it there, then the pools with every idle connection.
    asyncio.run(sync_to_async(connections.close_all)())
    for connection in connections.all(initialized_only=True):
        connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's; django-stubs lack it
