"""Django's ASGI handler, with requests for sync views served in one thread hop."""

from __future__ import annotations

import asyncio
import contextvars
import re
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import IO, Any

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import HttpResponseBase
from django.urls import Resolver404, get_resolver, set_script_prefix

from pagila_site.serving.body_limit import BodySizeLimit, Scope

# A path segment of digits only: an id, as in /api/v1/rentals/16050/return.
ID_SEGMENT = re.compile(r"(?<=/)[0-9]+(?=/|$)")


def serves_async(path: str) -> bool:
    """Whether the view for this path is async (a path that resolves to no view counts as async).

    Asked with every id read as 0, so all the paths of one view share one answer: each return of
    a rental has a path never seen before, and resolving it took 19 us (timeit), against 0.9 us
    here. Every id converter we route by takes 0 as it takes any other digits; a route that told
    ids apart would only send a request down the slower of the two paths that both serve it.
    """
    return view_is_async(ID_SEGMENT.sub("0", path))


@lru_cache(maxsize=4096)
def view_is_async(path: str) -> bool:
    """serves_async's answer for a path whose ids are 0."""
    try:
        return iscoroutinefunction(get_resolver().resolve(path).func)
    except Resolver404:
        return True


class OneHopASGIHandler(ASGIHandler):
    """Django's ASGI handler, except that a request for a sync view crosses to a thread once.

    Under ASGI, Django runs the middleware chain on the event loop and hands every sync part to
    a thread: the request_started and request_finished signals, each hook of a sync middleware,
    the view, the response's close. For a sync view (the films and rentals API, the admin) that
    is about eight hand-offs per request, which cost more CPU than the request's own work. Here
    such a request is read on the event loop, then run from start to finish on one thread of a
    bounded pool, exactly as under WSGI (sync middleware chain, signals, close), and its bytes
    sent on the event loop. Async views (the SSE stream, the AI endpoints) and paths that match
    no view (static files, 404s) keep Django's own async path, so they hold no pool thread while
    they wait.
    The pool has REQUEST_THREADS threads per process (4 by default, at most the database pool's
    size), so a request that gets a thread does not then wait for a database connection.
    """

    def __init__(self) -> None:
        super().__init__()
        self.sync_handler = BaseHandler()
        self.sync_handler.load_middleware(is_async=False)
        self.threads = ThreadPoolExecutor(
            settings.REQUEST_THREADS, thread_name_prefix="sync-request"
        )

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not serves_async(scope["path"]):
            await self.serve_sync_view(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)  # type: ignore[arg-type]  # a dict

    async def serve_sync_view(self, scope: Scope, receive: Any, send: Any) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        context = contextvars.copy_context()
        response = await asyncio.get_running_loop().run_in_executor(
            self.threads, context.run, self.respond, scope, body_file
        )
        try:
            await self.send_response(response, send)
        finally:
            if response.streaming:  # its content was read just now, on the event loop
                await sync_to_async(response.close)()

    def respond(self, scope: Scope, body_file: IO[bytes]) -> HttpResponseBase:
        """The whole request on this thread, as WSGI would run it; returns the response."""
        try:
            set_script_prefix(get_script_prefix(scope))
            signals.request_started.send(sender=self.__class__, scope=scope)
            request, error_response = self.create_request(scope, body_file)
            response = (
                error_response if request is None else self.sync_handler.get_response(request)
            )
            assert response is not None  # create_request gives a request or an error response
            response._handler_class = self.__class__  # type: ignore[attr-defined]
            if not response.streaming:
                # Its body is in memory: closing it now (request_finished: the database
                # connection goes back to the pool) saves a further hop after sending.
                response.close()
            return response
        finally:
            body_file.close()


def served_application() -> BodySizeLimit:
    """The ASGI application a server runs: oversized bodies refused before Django spools them
    (BodySizeLimit), requests for sync views crossing to a thread once (OneHopASGIHandler)."""
    return BodySizeLimit(OneHopASGIHandler())
