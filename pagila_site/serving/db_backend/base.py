"""PostgreSQL for Django, with a pool that tells a database outage from a busy pool.

Django's pool waits up to its timeout for a connection whatever the reason. This backend waits
OUTAGE_CHECK_AFTER seconds at a time and then asks why: when the latest attempt to open a
connection, or the latest health check of a pooled one (check_connection), failed, PostgreSQL
is down and the request fails at once (a 503 within a second); otherwise the pool is only busy
or slow (a burst of requests, a starved CPU) and the wait goes on up to the pool's own timeout
(DB_POOL_TIMEOUT).
Settings: ENGINE "pagila_site.serving.db_backend".
"""

from __future__ import annotations

import select
import time
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool, PoolTimeout

from pagila_site.pagila.embedded import ensure_host

# Seconds a request waits for a pooled connection before asking whether PostgreSQL is down.
OUTAGE_CHECK_AFTER = 0.5


class ConnectionOutcomes:
    """Whether this process's latest connection attempt or health check failed."""

    failing = False

    @classmethod
    def record(cls, *, ok: bool) -> None:
        cls.failing = not ok


class TrackedConnection(psycopg.Connection[Any]):
    """A psycopg connection whose opening and health checks land in ConnectionOutcomes.

    The pool's health check (ConnectionPool.check_connection, CONN_HEALTH_CHECKS) runs an empty
    query through Connection.execute; Django's own queries go through cursors, not this.
    """

    @classmethod
    def connect(cls, conninfo: str = "", **kwargs: Any) -> TrackedConnection:
        try:
            connection = super().connect(conninfo, **kwargs)
        except psycopg.OperationalError:
            ConnectionOutcomes.record(ok=False)
            raise
        ConnectionOutcomes.record(ok=True)
        return connection

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        try:
            cursor = super().execute(*args, **kwargs)
        except psycopg.OperationalError:
            if self.broken or self.closed:  # the server is gone, not just this query
                ConnectionOutcomes.record(ok=False)
            raise
        ConnectionOutcomes.record(ok=True)
        return cursor


def check_connection(connection: psycopg.Connection[Any]) -> None:
    """The pool's check before it lends a connection: a ping only when the socket has news.

    A pooled connection that is idle has nothing to read. When the server ends it (a restart, a
    crash, pg_terminate_backend), an error message or the end of the stream arrives and the socket
    becomes readable; only then is the connection pinged (an empty query, which fails and makes
    the pool replace it). So a healthy pool costs no round trip per request, and a connection
    the database dropped is still never handed to a request.
    """
    if connection.closed or connection.broken:
        raise psycopg.OperationalError("the connection is closed")
    if has_news(connection.fileno()):
        ConnectionPool.check_connection(connection)


def has_news(descriptor: int) -> bool:
    """Whether a socket has something to read, or was hung up, right now.

    poll(), not select(): select() refuses descriptors above 1023, and a worker serving a
    thousand streams opens its pool's connections up there. The pool puts a connection whose
    check raised back into the pool, so each such connection made every request that drew it
    sleep a second and try again, for as long as it lived.
    """
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    return bool(poller.poll(0))


class OutageAwarePool:
    """Django's pool, except that getconn() gives up early while PostgreSQL is down."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self._pool = pool

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)

    def __bool__(self) -> bool:
        return True

    def getconn(self, timeout: float | None = None) -> Any:
        deadline = time.monotonic() + (self._pool.timeout if timeout is None else timeout)
        while True:
            wait = max(0.001, min(OUTAGE_CHECK_AFTER, deadline - time.monotonic()))
            try:
                return self._pool.getconn(timeout=wait)
            except PoolTimeout:
                if ConnectionOutcomes.failing or time.monotonic() >= deadline:
                    raise


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's PostgreSQL wrapper whose pool is outage-aware and tracks its connections.

    With DATABASE_URL unset, the first connection finds the embedded server's socket (which
    `manage.py` and the test suite start; see ensure_host).
    """

    def get_connection_params(self) -> dict[str, Any]:
        ensure_host(self.settings_dict, start=False)
        params: dict[str, Any] = super().get_connection_params()
        return params

    def __init__(self, settings_dict: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        pool_options = settings_dict.get("OPTIONS", {}).get("pool")
        if isinstance(pool_options, dict):
            pool_options.setdefault("connection_class", TrackedConnection)
        super().__init__(settings_dict, *args, **kwargs)
        self._outage_aware_pool: OutageAwarePool | None = None

    @property
    def pool(self) -> OutageAwarePool | None:
        """Django's pool for this alias, wrapped once (Django reads this several times a
        request: when it connects, checks health and closes)."""
        pool = super().pool  # type: ignore[misc]  # django-stubs lacks the pool
        if pool is None:
            return None
        wrapped = self._outage_aware_pool
        if wrapped is None or wrapped._pool is not pool:  # the first use, or a rebuilt pool
            if not self.settings_dict["CONN_HEALTH_CHECKS"]:  # else Django's ping on every lend
                # Django always passes its own `check` (None here) and psycopg_pool has no setter.
                pool._check = check_connection
            wrapped = self._outage_aware_pool = OutageAwarePool(pool)
        return wrapped
