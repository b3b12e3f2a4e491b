"""The Semantic Kernel assistant app."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class AssistantConfig(AppConfig):
    name = "assistant"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        checks.register(check_ai_rate_limit)


def check_ai_rate_limit(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """AI_RATE_LIMIT must be "off" or DRF rate syntax, or every AI request would fail."""
    from assistant.throttling import AiRateThrottle

    try:
        AiRateThrottle()
    except (ValueError, KeyError):
        hint = 'Use e.g. "30/min", "500/hour" or "off".'
        message = f"AI_RATE_LIMIT={settings.AI_RATE_LIMIT!r} is not a rate."
        return [checks.Error(message, hint=hint, id="assistant.E001")]
    return []
