"""pagila_site.serving.request_threads: one thread per request in flight, reused, never shared."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async

from pagila_site.config.asgi import application
from pagila_site.serving.body_limit import BodySizeLimit
from pagila_site.serving.request_threads import ReusedRequestThreads

HTTP = {"type": "http"}


class DjangoLikeApp:
    """Enters its own ThreadSensitiveContext as Django's ASGIHandler does, and notes its threads."""

    def __init__(self, pause: float = 0.0) -> None:
        self.pause = pause
        self.threads: list[tuple[int, int]] = []
        self.started = asyncio.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async with ThreadSensitiveContext():
            first = await sync_to_async(threading.get_ident)()
            self.started.set()
            await asyncio.sleep(self.pause)
            second = await sync_to_async(threading.get_ident)()
        self.threads.append((first, second))


async def test_a_request_keeps_one_thread_and_the_next_request_reuses_it() -> None:
    inner = DjangoLikeApp()
    app = ReusedRequestThreads(inner)
    await app(HTTP, None, None)
    await app(HTTP, None, None)
    (a1, a2), (b1, b2) = inner.threads
    assert a1 == a2 == b1 == b2
    assert a1 != threading.get_ident()


async def test_requests_in_flight_at_once_never_share_a_thread() -> None:
    inner = DjangoLikeApp(pause=0.05)
    app = ReusedRequestThreads(inner)
    await asyncio.gather(*(app(HTTP, None, None) for _ in range(5)))
    assert all(first == second for first, second in inner.threads)
    assert len({first for first, _ in inner.threads}) == 5
    assert len(app._idle) == 5


async def test_a_thread_still_busy_when_its_request_ends_is_not_reused() -> None:
    release = threading.Event()

    class LeavesEarly:
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            async with ThreadSensitiveContext():
                call = asyncio.ensure_future(sync_to_async(release.wait)())
                await asyncio.sleep(0.01)
                call.cancel()  # the request goes; the sync call runs on

    app = ReusedRequestThreads(LeavesEarly())
    await app(HTTP, None, None)
    assert app._idle == []
    release.set()


async def test_other_scopes_pass_straight_through() -> None:
    seen = []

    async def lifespan_app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    await ReusedRequestThreads(lifespan_app)({"type": "lifespan"}, None, None)
    assert seen == ["lifespan"]


def test_the_served_applications_async_path_runs_through_it() -> None:
    assert isinstance(application, BodySizeLimit)
    assert isinstance(application.app.async_path, ReusedRequestThreads)  # type: ignore[attr-defined]
