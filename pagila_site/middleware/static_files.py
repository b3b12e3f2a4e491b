"""Static files from WhiteNoise, in a middleware that keeps the chain async for async views."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase
from whitenoise.middleware import WhiteNoiseMiddleware

from pagila_site.middleware.base import GetResponse


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, made async-capable: static files are answered here, the rest passes through.

    WhiteNoise's own middleware is sync-only, which would make Django run every async view in a
    thread; this keeps the chain async end to end.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse, *args: Any, **kwargs: Any) -> None:
        super().__init__(get_response, *args, **kwargs)
        # Decided once, as HookMiddleware does: asking on every call cost 1.3% of the instructions
        # of a rental created and returned (python -m bench.instructions rental-cycle).
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
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
