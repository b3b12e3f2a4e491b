"""Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE refused at the ASGI door, before Django reads them."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import structlog

from pagila_site.api.errors import PROBLEM_CONTENT_TYPE, problem_for_exception
from pagila_site.api.parsers import RequestTooLarge, body_limit
from pagila_site.middleware.request_id import request_id_for

logger = structlog.get_logger("pagila.request")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _BodyTooLarge(Exception):
    """Raised inside receive() once a streamed body passes the limit."""


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


class BodySizeLimit:
    """ASGI wrapper: a body over DATA_UPLOAD_MAX_MEMORY_SIZE gets a 413 before Django reads it.

    Django's ASGI handler spools any body to a temporary file before a view or middleware
    runs, so without this a client could stream gigabytes to disk. A declared Content-Length
    over the limit is refused at once; a chunked body is counted as it arrives and refused
    when it passes the limit. Either way the 413 is a problem document with a request id, the
    connection is closed, and the refusal is logged like any request.
    """

    def __init__(self, app: AsgiApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        limit = body_limit()
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send, started)
            return
        received = 0
        response_started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal response_started
            response_started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _BodyTooLarge:
            if not response_started:
                await self._refuse(scope, send, started)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, started: float) -> None:
        request_id = request_id_for(_header(scope, b"x-request-id"))
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            body = problem_for_exception(RequestTooLarge())
            assert body is not None
            logger.info(
                "request",
                method=scope.get("method"),
                path=scope.get("path"),
                status=413,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
        payload = json.dumps(body).encode()
        headers = [
            (b"content-type", PROBLEM_CONTENT_TYPE.encode()),
            (b"content-length", str(len(payload)).encode()),
            (b"x-request-id", request_id.encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
