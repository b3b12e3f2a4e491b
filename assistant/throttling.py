"""The AI endpoints' rate limit: a per-client counter in the cache that all workers share."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from pagila_site.serving.client_address import client_address

# AI_RATE_LIMIT values that switch the limit off (benchmarks, trusted deployments).
OFF = frozenset({"", "off", "none"})


class AiRateThrottle(SimpleRateThrottle):
    """At most AI_RATE_LIMIT requests (DRF syntax, e.g. "30/min") per client and time window.

    Clients are told apart by their address (see get_ident). The count is a fixed-window
    counter in Django's default cache (`add` then `incr`), so every worker process sees the
    same count: atomic on Redis, and on the database cache close enough for a cost guard.
    The rate is read on every request, so changing the setting takes effect at once.
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
        self.cache.add(key, 0, timeout=self.duration + 1)
        try:
            count = self.cache.incr(key)
        except ValueError:  # the entry expired between add and incr: a new window
            self.cache.set(key, 1, timeout=self.duration + 1)
            count = 1
        self.seconds_left = (window + 1) * self.duration - now
        return bool(count <= self.num_requests)

    def wait(self) -> float:
        """Whole seconds until the window ends (what Retry-After says)."""
        return float(max(1, math.ceil(self.seconds_left)))
