"""CORS for /api/ through django-cors-headers, switched off while no origin is allowed."""

from __future__ import annotations

from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.http import HttpRequest


class ConfiguredCorsMiddleware(CorsMiddleware):
    """django-cors-headers' middleware (settings in config/settings/cors.py), idle until
    CORS_ALLOWED_ORIGINS names an origin.

    Left on, it would add `Vary: origin` to every /api/ response and answer every /api/
    preflight with an empty 200 even though no origin may use them; so with no origin
    configured the API answers exactly as if there were no CORS at all.
    """

    def is_enabled(self, request: HttpRequest) -> bool:
        return bool(settings.CORS_ALLOWED_ORIGINS) and super().is_enabled(request)
