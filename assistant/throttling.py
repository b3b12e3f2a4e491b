"""The AI endpoints' rate limit: a per-client counter in the cache that all workers share."""

from __future__ import annotations

import math
from typing import Any

import structlog
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connections, router, transaction
from rest_framework import status
from rest_framework.throttling import SimpleRateThrottle

from pagila_site.api.errors import DomainError
from pagila_site.serving.client_address import client_address

logger = structlog.get_logger("pagila.assistant")

# AI_RATE_LIMIT values that switch the limit off (benchmarks, trusted deployments).
OFF = frozenset({"", "off", "none"})

try:  # What a cache that is not answering raises: Redis's errors (when installed), sockets'.
    from redis.exceptions import RedisError

    CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover - redis is in requirements.txt
    CACHE_ERRORS = (OSError,)


class RateLimitUnavailable(DomainError):
    """The rate-limit counter cannot be read and AI_RATE_LIMIT_FAIL_OPEN is off."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "rate_limit_unavailable"
    title = "Service unavailable"


def counted(cache: BaseCache, key: str, timeout: int) -> int:
    """Count one more request under `key` (an entry kept `timeout` seconds); return the count.

    Atomic on every cache, so simultaneous requests in any process each get their own count:
    `add` creates the entry only where none exists; on Redis `incr` is INCRBY. The database
    cache's `incr` reads, then writes, so there the entry's row is locked first (SELECT ... FOR
    UPDATE) and simultaneous counts wait for each other instead of overwriting each other.
    """
    cache.add(key, 0, timeout=timeout)
    try:
        if isinstance(cache, BaseDatabaseCache):
            return _incr_with_row_lock(cache, key)
        return int(cache.incr(key))
    except ValueError:  # the entry expired between add and incr: a new window
        cache.set(key, 1, timeout=timeout)
        return 1


def _incr_with_row_lock(cache: BaseDatabaseCache, key: str) -> int:
    database = router.db_for_write(cache.cache_model_class)
    connection = connections[database]
    table = connection.ops.quote_name(cache.cache_model_class._meta.db_table)
    with transaction.atomic(using=database), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608 - quoted name
            [cache.make_and_validate_key(key)],
        )
        return int(cache.incr(key))


class AiRateThrottle(SimpleRateThrottle):
    """At most AI_RATE_LIMIT requests (DRF syntax, e.g. "30/min") per client and time window.

    Clients are told apart by their address (pagila_site.serving.client_address). The count is
    a fixed-window counter in Django's default cache (see `counted`), so every worker process of
    every instance sharing that cache sees the same count. When the cache does not answer (Redis
    down), AI_RATE_LIMIT_FAIL_OPEN decides: serve without the limit (logged), or refuse with a
    503 `rate_limit_unavailable` (the default). The rate is read on every request, so changing
    the setting takes effect at once.
    """

    scope = "ai"
    # Set by SimpleRateThrottle.__init__ from the rate (None when the limit is off).
    num_requests: int | None
    duration: int | None

    def get_rate(self) -> str | None:
        rate = str(settings.AI_RATE_LIMIT).strip()
        return None if rate.lower() in OFF else rate

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return f"throttle_ai_{self.get_ident(request)}"

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        assert self.num_requests is not None and self.duration is not None
        now = self.timer()
        window = int(now // self.duration)
        key = f"{self.get_cache_key(request, view)}_{window}"
        try:
            count = counted(caches["default"], key, timeout=self.duration + 1)
        except CACHE_ERRORS as exc:
            if settings.AI_RATE_LIMIT_FAIL_OPEN:
                logger.warning(
                    "ai rate limit skipped: its cache is not answering",
                    error=f"{type(exc).__name__}: {exc}",
                )
                return True
            raise RateLimitUnavailable(
                "The AI rate limit cannot be checked: its cache is not answering. Try again "
                "shortly."
            ) from exc
        self.seconds_left = (window + 1) * self.duration - now
        return bool(count <= self.num_requests)

    def wait(self) -> float:
        """Whole seconds until the window ends (what Retry-After says)."""
        return float(max(1, math.ceil(self.seconds_left)))
