"""Which address a request came from, as the AI rate limit and the admin login lockout count it."""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle


def client_address(request: Any) -> str:
    """REMOTE_ADDR, or the address that REST_FRAMEWORK's NUM_PROXIES trusted proxies forwarded.

    DRF's own get_ident believes any X-Forwarded-For when NUM_PROXIES is unset, which lets a
    client dodge a limit with a new header per request; here unset means no proxy.
    """
    if api_settings.NUM_PROXIES:
        return str(BaseThrottle().get_ident(request))
    return str(request.META.get("REMOTE_ADDR", ""))
