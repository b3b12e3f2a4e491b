"""Django's per-request sync thread under ASGI, reused instead of started and joined per request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext

Scope = MutableMapping[str, Any]
AsgiApp = Callable[..., Awaitable[None]]


class RequestThread(ThreadPoolExecutor):
    """One worker thread that runs one request's sync code at a time."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="request")
        self._last: Future[Any] | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self._last = super().submit(fn, *args, **kwargs)
        return self._last

    def idle(self) -> bool:
        """Nothing queued or running (one thread, first in first out: the last call is done)."""
        return self._last is None or self._last.done()


class ReusedRequestThreads:
    """ASGI wrapper: each HTTP request's sync code runs on a thread of its own, as in Django.

    Django's ASGIHandler gives every request a new single-thread executor (asgiref's
    ThreadSensitiveContext): its thread starts with the request's first sync call (the
    request_started signal, so always) and a further new thread joins it at the end, two thread
    starts per request, which cost more than a cached API page. Entered here first, the context
    uses a thread from a free list instead; Django's own context then defers to it. Isolation is
    unchanged: no two requests in flight share a thread. A request that leaves while its sync
    code still runs (a cancelled stream) gives its thread up for good rather than back.
    """

    # Idle threads kept for the next requests; beyond this, finished ones are shut down.
    max_idle = 64

    def __init__(self, app: AsgiApp) -> None:
        self.app = app
        self._idle: list[RequestThread] = []  # used from the event loop's thread only

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        thread = self._idle.pop() if self._idle else RequestThread()
        try:
            async with ThreadSensitiveContext(executor=thread):
                await self.app(scope, receive, send)
        finally:
            self._release(thread)

    def _release(self, thread: RequestThread) -> None:
        if thread.idle() and len(self._idle) < self.max_idle:
            self._idle.append(thread)
        else:
            thread.shutdown(wait=False)
