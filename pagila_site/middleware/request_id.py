"""Request ids, and one structured log line per request."""

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


def request_id_for(request: HttpRequest) -> str:
    offered = request.headers.get("X-Request-ID", "")
    return offered if REQUEST_ID_PATTERN.match(offered) else uuid.uuid4().hex


class RequestIdMiddleware(HookMiddleware):
    """Tag each request with an id (echoed as X-Request-ID) and log method, path, status, time."""

    def before(self, request: HttpRequest) -> None:
        request.request_id = request_id_for(request)  # type: ignore[attr-defined]
        request.request_started = time.perf_counter()  # type: ignore[attr-defined]

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        request_id = request.request_id  # type: ignore[attr-defined]
        started = request.request_started  # type: ignore[attr-defined]
        response["X-Request-ID"] = request_id
        logger.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            request_id=request_id,
        )
        return response
