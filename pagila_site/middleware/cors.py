"""CORS for /api/ through django-cors-headers, switched off while no origin is allowed."""

from __future__ import annotations

from typing import Any

from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

from pagila_site.middleware.base import GetResponse


class ConfiguredCorsMiddleware(CorsMiddleware):
    """django-cors-headers' middleware (settings in config/settings/cors.py), left out of the
    chain unless CORS_ALLOWED_ORIGINS names an origin when the chain is built.

    Left on, it would add `Vary: origin` to every /api/ response and answer every /api/
    preflight with an empty 200 even though no origin may use them; so with no origin
    configured the API answers exactly as if there were no CORS at all, and no request pays for
    a middleware that would do nothing.
    """

    def __init__(self, get_response: GetResponse, *args: Any, **kwargs: Any) -> None:
        if not settings.CORS_ALLOWED_ORIGINS:
            raise MiddlewareNotUsed
        super().__init__(get_response, *args, **kwargs)
