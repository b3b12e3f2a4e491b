"""Request ids, and one structured log line per request.

The id lives in one context variable, structlog's `request_id`: bound here once per request,
it is in every log line of the request and in every problem body (current_request_id()).
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from django.http import HttpRequest, HttpResponseBase

from pagila_site.middleware.base import HookMiddleware

logger = structlog.get_logger("pagila.request")

# A client's X-Request-ID is kept only when it is short and plain; otherwise we make one.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_for(offered: str) -> str:
    """The client's X-Request-ID when it is short and plain, otherwise a new id."""
    return offered if REQUEST_ID_PATTERN.match(offered) else uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request being served (None outside a request)."""
    request_id: str | None = structlog.contextvars.get_contextvars().get("request_id")
    return request_id


class RequestIdMiddleware(HookMiddleware):
    """Tag each request with an id (echoed as X-Request-ID) and log method, path, status, time."""

    def before(self, request: HttpRequest) -> None:
        # From META: request.headers would build a mapping of every header for this one.
        request_id = request_id_for(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.request_id_tokens = structlog.contextvars.bind_contextvars(request_id=request_id)  # type: ignore[attr-defined]
        request.request_started = time.perf_counter()  # type: ignore[attr-defined]

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        started = request.request_started  # type: ignore[attr-defined]
        response["X-Request-ID"] = current_request_id() or ""
        logger.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        structlog.contextvars.reset_contextvars(**request.request_id_tokens)  # type: ignore[attr-defined]
        return response
