"""The admin login's lockout (django-axes, settings/lockout.py): its page and its log line."""

from __future__ import annotations

from typing import Any

import structlog
from axes.helpers import get_cool_off, get_failure_limit
from axes.signals import user_locked_out
from django.contrib import admin
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

logger = structlog.get_logger("pagila.admin")

LOCKED_OUT_STATUS = 429


def locked_out_page(request: HttpRequest, *args: Any) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the back office's page saying for how long logging in is locked."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Login locked",
        "failure_limit": get_failure_limit(request, None),
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else 0,
    }
    response = TemplateResponse(
        request, "admin/login_locked.html", context, status=LOCKED_OUT_STATUS
    )
    return response.render()


@receiver(user_locked_out)
def log_lockout(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    """One warning per refused login of a locked-out user or address."""
    logger.warning(
        "admin login locked out",
        username=username,
        client_address=ip_address,
        failures=getattr(request, "axes_failures_since_start", None),
    )
