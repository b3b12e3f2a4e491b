"""The outage-aware pool: a busy pool makes requests wait, a dead server makes them fail fast."""

from __future__ import annotations

import os
import resource
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from psycopg_pool import ConnectionPool, PoolTimeout

from pagila_site.pagila.loader import server_conninfo
from pagila_site.serving.db_backend.base import (
    ConnectionOutcomes,
    OutageAwarePool,
    TrackedConnection,
    check_connection,
)
from tests.live import free_port

pytestmark = pytest.mark.django_db

# Seconds the one connection is held elsewhere: twice OUTAGE_CHECK_AFTER (0.5 s).
HELD_FOR = 1.0


@contextmanager
def pool_of_one(**conninfo: Any) -> Iterator[OutageAwarePool]:
    """A one-connection pool as the backend builds it (tracked connections, its check, 5 s)."""
    pool: ConnectionPool[Any] = ConnectionPool(
        kwargs={**conninfo, "autocommit": True},
        min_size=1,
        max_size=1,
        timeout=5.0,
        connection_class=TrackedConnection,
        check=check_connection,
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
        started = time.monotonic()
        threading.Timer(HELD_FOR, pool.putconn, [held]).start()
        got = pool.getconn()
        waited = time.monotonic() - started
        assert got.execute("SELECT count(*) FROM film").fetchone() == (1000,)
        pool.putconn(got)
    # It outwaited OUTAGE_CHECK_AFTER twice over, and was served once the connection came back.
    assert waited >= HELD_FOR
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


def last_query_of(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def test_a_healthy_pooled_connection_is_lent_without_a_ping() -> None:
    conninfo = server_conninfo(settings.DATABASES["default"])
    with pool_of_one(**conninfo, dbname=connection.settings_dict["NAME"]) as pool:
        lent = pool.getconn()
        lent.execute("SELECT 'marker' AS last_query")
        pid = lent.info.backend_pid
        pool.putconn(lent)
        again = pool.getconn()
        # Same server process, and its last statement is still ours: no empty-query ping ran.
        assert again.info.backend_pid == pid
        assert last_query_of(pid) == "SELECT 'marker' AS last_query"
        pool.putconn(again)


@contextmanager
def descriptors_taken_below(number: int) -> Iterator[None]:
    """Every free file descriptor below `number` held open, so the next one opened is above it
    (as in a worker serving a thousand streams)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2 * number:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 2 * number), hard))
    held: list[int] = []
    try:
        while (descriptor := os.open(os.devnull, os.O_RDONLY)) < number:
            held.append(descriptor)
        os.close(descriptor)
        yield
    finally:
        for descriptor in held:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_connection_above_select_s_limit_is_lent_without_a_ping() -> None:
    # select() refuses descriptors above 1023; the pool put a connection whose check raised
    # back, so every request that drew it slept a second and tried again until the pool timed out.
    conninfo = server_conninfo(settings.DATABASES["default"])
    with (
        descriptors_taken_below(1100),
        pool_of_one(**conninfo, dbname=connection.settings_dict["NAME"]) as pool,
    ):
        lent = pool.getconn()
        assert lent.fileno() >= 1100
        lent.execute("SELECT 'marker' AS last_query")
        pid = lent.info.backend_pid
        pool.putconn(lent)
        again = pool.getconn(timeout=1.0)
        assert again.info.backend_pid == pid
        assert last_query_of(pid) == "SELECT 'marker' AS last_query"
        pool.putconn(again)


def test_a_connection_the_server_ended_is_replaced_before_it_is_lent() -> None:
    conninfo = server_conninfo(settings.DATABASES["default"])
    with pool_of_one(**conninfo, dbname=connection.settings_dict["NAME"]) as pool:
        first = pool.getconn()
        pid = first.info.backend_pid
        pool.putconn(first)
        with connection.cursor() as cursor:  # returns once the server process has exited
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone() == (True,)
        fresh = pool.getconn()
        assert fresh.info.backend_pid != pid
        assert fresh.execute("SELECT count(*) FROM film").fetchone() == (1000,)
        pool.putconn(fresh)
    assert ConnectionOutcomes.failing is False
