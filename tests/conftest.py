"""Suite-wide fixtures: the real Pagila data in a template database, copied per test run."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from pagila_site.management.commands.pagila_load import server_conninfo
from pagila_site.pagila_loader import advisory_lock
from tests.live import live_server_url  # noqa: F401 - the shared live-server fixture


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Load Pagila once into the template that Django copies for the test database."""
    db = settings.DATABASES["default"]
    with advisory_lock(server_conninfo(db), "pagila-template"):
        call_command("pagila_load", database_name=db["TEST"]["TEMPLATE"], verbosity=0)
