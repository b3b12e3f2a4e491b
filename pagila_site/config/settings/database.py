"""The database: any PostgreSQL >= 13 from DATABASE_URL, else the embedded server, pooled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pagila_site.config.settings.env import BASE_DIR, env

# Django's PostgreSQL backend with an outage-aware pool that also starts the embedded server
# on the first connection when DATABASE_URL is unset (pagila_site.serving.db_backend).
DB_ENGINE = "pagila_site.serving.db_backend"
# The embedded server's data folder (used when DATABASE_URL is unset).
EMBEDDED_PG_DIR = Path(env("EMBEDDED_PG_DIR", default=str(BASE_DIR / ".pgdata")))

default_db: dict[str, Any]
if env("DATABASE_URL", default=""):
    default_db = env.db_url("DATABASE_URL")
    default_db["ENGINE"] = DB_ENGINE
else:
    default_db = {
        "ENGINE": DB_ENGINE,
        "NAME": env("EMBEDDED_DB_NAME", default="pagila"),
        "USER": "postgres",
        "PASSWORD": "",
        # Filled with the server's socket folder when the first connection starts it.
        "HOST": "",
        "PORT": "",
        "EMBEDDED_DATA_DIR": EMBEDDED_PG_DIR,
    }
default_db["OPTIONS"] = {
    **default_db.get("OPTIONS", {}),
    # Parameters bound on the server, and a statement a connection has run five times prepared
    # there (psycopg's prepare_threshold): less parsing and planning per query on both sides.
    # Behind a transaction-mode PgBouncer set DB_PREPARED_STATEMENTS=false.
    "server_side_binding": env.bool("DB_SERVER_SIDE_BINDING", default=True),
    "prepare_threshold": 5 if env.bool("DB_PREPARED_STATEMENTS", default=True) else None,
    # Seconds to wait for PostgreSQL to accept a connection before the request fails with 503.
    "connect_timeout": env.int("DB_CONNECT_TIMEOUT", default=3),
}
# Connections each server process may open (its pool's most).
DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=10)
if env.bool("DB_POOL", default=True):
    default_db["OPTIONS"]["pool"] = {
        # Connections each server process keeps open, and the most it opens under load.
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": DB_POOL_MAX_SIZE,
        # Seconds a request may wait for a pooled connection while PostgreSQL answers (a burst,
        # a busy CPU) before failing with 503. While it is down, the wait ends after half a
        # second instead (pagila_site.serving.db_backend), so an outage is a 503 within a second.
        "timeout": env.float("DB_POOL_TIMEOUT", default=5.0),
        # Seconds the pool keeps retrying a failed connection with backoff before the next
        # request starts a fresh attempt at once; short, so recovery follows the database.
        "reconnect_timeout": env.float("DB_POOL_RECONNECT_TIMEOUT", default=2.0),
    }
    # Each pooled connection is checked before use (db_backend.check_connection: a ping when
    # the server has closed or written to it), so connections that died with a database restart
    # are replaced, not handed to a request. Django's own check would ping every time.
    default_db["CONN_HEALTH_CHECKS"] = False
# The test database is a copy of a template that holds the real Pagila data, then migrated.
default_db["TEST"] = {
    "NAME": f"test_{default_db['NAME']}{env('TEST_DB_SUFFIX', default='')}",
    "TEMPLATE": env("PAGILA_TEMPLATE_DB", default=f"{default_db['NAME']}_template"),
}
DATABASES = {"default": default_db}
# Threads per server process that run requests for sync views (pagila_site.serving.asgi_handler).
# A process runs Python on one core at a time: four threads cover a request's database waits, and
# each thread more only queues for the interpreter. Rental cycle, 5 alternated pairs on 2 CPUs:
# 4 threads 498 cycles/s and p99 33 ms at the median, 10 threads 481 and 38 (bench/RESULTS.md).
# Never more than the pool's connections, so a request with a thread never waits for one.
REQUEST_THREADS = min(env.int("REQUEST_THREADS", default=4), DB_POOL_MAX_SIZE)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Where `pagila_load` reads the Pagila dump (a folder) or caches the pinned release it downloads.
PAGILA_SQL_DIR = env("PAGILA_SQL_DIR", default="")
PAGILA_CACHE_DIR = Path(env("PAGILA_CACHE_DIR", default=str(BASE_DIR / ".cache" / "pagila")))
