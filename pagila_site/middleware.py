"""Request ids with one structured log line per request, and async-capable static file serving."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase
from whitenoise.middleware import WhiteNoiseMiddleware

logger = structlog.get_logger("pagila.request")

# A client's X-Request-ID is kept only when it is short and plain; otherwise we make one.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

GetResponse = Callable[[HttpRequest], Any]


def request_id_for(request: HttpRequest) -> str:
    offered = request.headers.get("X-Request-ID", "")
    return offered if REQUEST_ID_PATTERN.match(offered) else uuid.uuid4().hex


class HookMiddleware:
    """A middleware that may answer early (`before`) and edit the response (`after`).

    Sync and async capable, so async views (the SSE stream) keep the event loop and never hold
    a thread.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        early = self.before(request)
        return early if early is not None else self.after(request, self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        early = self.before(request)
        if early is not None:
            return early
        response: HttpResponseBase = await self.get_response(request)
        return self.after(request, response)

    def before(self, request: HttpRequest) -> HttpResponseBase | None:
        return None

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        return response


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


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, made async-capable: static files are answered here, the rest passes through.

    WhiteNoise's own middleware is sync-only, which would make Django run every async view in a
    thread; this keeps the chain async end to end.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse, *args: Any, **kwargs: Any) -> None:
        super().__init__(get_response, *args, **kwargs)
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        return super().__call__(request)

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        static_file = (
            self.find_file(request.path_info)
            if self.autorefresh
            else self.files.get(request.path_info)
        )
        if static_file is not None:
            served: HttpResponseBase = self.serve(static_file, request)
            return served
        response: Awaitable[HttpResponseBase] = self.get_response(request)
        return await response
