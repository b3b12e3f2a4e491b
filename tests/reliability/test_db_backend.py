"""The outage-aware pool: a busy pool makes requests wait, a dead server makes them fail fast."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from psycopg_pool import ConnectionPool, PoolTimeout

from pagila_site.db_backend.base import ConnectionOutcomes, OutageAwarePool, TrackedConnection
from pagila_site.management.commands.pagila_load import server_conninfo
from tests.live import free_port

pytestmark = pytest.mark.django_db

# Seconds the one connection is held elsewhere: longer than OUTAGE_CHECK_AFTER (0.5 s).
HELD_FOR = 1.5


@contextmanager
def pool_of_one(**conninfo: Any) -> Iterator[OutageAwarePool]:
    """A one-connection pool as the backend builds it (tracked connections, 5 s timeout)."""
    pool: ConnectionPool[Any] = ConnectionPool(
        kwargs=conninfo,
        min_size=1,
        max_size=1,
        timeout=5.0,
        connection_class=TrackedConnection,
        check=ConnectionPool.check_connection,
        open=False,
    )
    pool.open(wait=False)
    try:
        yield OutageAwarePool(pool)
    finally:
        pool.close()


def test_a_busy_pool_makes_a_request_wait_not_fail() -> None:
    conninfo = server_conninfo(settings.DATABASES["default"])
    with pool_of_one(**conninfo, dbname=connection.settings_dict["NAME"]) as pool:
        held = pool.getconn()
        threading.Timer(HELD_FOR, pool.putconn, [held]).start()
        started = time.monotonic()
        got = pool.getconn()
        waited = time.monotonic() - started
        assert got.execute("SELECT count(*) FROM film").fetchone() == (1000,)
        pool.putconn(got)
    assert waited >= 0.5  # it outwaited OUTAGE_CHECK_AFTER, and was then served
    assert ConnectionOutcomes.failing is False


def test_a_server_that_refuses_connections_fails_the_wait_early() -> None:
    with pool_of_one(host="127.0.0.1", port=str(free_port()), dbname="x", user="x") as pool:
        started = time.monotonic()
        with pytest.raises(PoolTimeout):
            pool.getconn()
        failed_after = time.monotonic() - started
    assert ConnectionOutcomes.failing is True
    assert failed_after < pool.timeout  # gave up before the pool's own 5 s
    # The next successful connection clears the state.
    conninfo = server_conninfo(settings.DATABASES["default"])
    with pool_of_one(**conninfo, dbname=connection.settings_dict["NAME"]) as healthy:
        healthy.putconn(healthy.getconn())
    assert ConnectionOutcomes.failing is False
