"""The one-hop ASGI handler: a request for a sync view crosses to a thread once, only once."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import pytest
from django.conf import settings
from django.core import signals

from pagila_site.config.asgi import application
from pagila_site.serving.asgi_handler import OneHopASGIHandler, serves_async, view_is_async
from tests.settings_process import settings_in_new_process

pytestmark = pytest.mark.django_db(transaction=True)


async def call(
    path: str, query: str = "", on_send: Callable[[str], None] = lambda kind: None
) -> tuple[int, bytes, list[str]]:
    """One GET through the served ASGI application: status, body, and the messages sent.

    `on_send` is told each message's type as it goes out.
    """
    events: list[str] = []
    body = b""
    status = 0
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if requests:
            return requests.pop()
        await asyncio.Future()  # a client that stays: nothing more until the response is sent
        raise AssertionError

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal body, status
        on_send(message["type"])
        events.append(message["type"])
        status = message.get("status", status)
        body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    await application(scope, receive, send)
    return status, body, events


@pytest.fixture
def signal_threads() -> Iterator[list[tuple[str, str]]]:
    """(signal, thread name) for every request_started and request_finished while it lasts."""
    seen: list[tuple[str, str]] = []

    def started(**kwargs: Any) -> None:
        seen.append(("started", threading.current_thread().name))

    def finished(**kwargs: Any) -> None:
        seen.append(("finished", threading.current_thread().name))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    yield seen
    signals.request_started.disconnect(started)
    signals.request_finished.disconnect(finished)


async def test_a_sync_view_runs_start_to_finish_on_one_request_thread(
    signal_threads: list[tuple[str, str]],
) -> None:
    status, body, events = await call("/api/v1/films", "category=Comedy&limit=1")
    assert status == 200
    assert json.loads(body)["total"] == 58
    (_, started_on), (_, finished_on) = signal_threads
    assert started_on == finished_on
    assert started_on.startswith("sync-request")
    assert [name for name, _ in signal_threads] == ["started", "finished"]
    assert events == ["http.response.start", "http.response.body"]


async def test_the_signals_fire_before_the_response_of_a_sync_view_is_sent(
    signal_threads: list[tuple[str, str]],
) -> None:
    order: list[str] = []
    await call(
        "/healthz", on_send=lambda kind: order.append(f"{len(signal_threads)} signals when {kind}")
    )
    assert order == ["2 signals when http.response.start", "2 signals when http.response.body"]


async def test_requests_at_once_share_a_bounded_pool_of_threads(
    signal_threads: list[tuple[str, str]],
) -> None:
    answers = await asyncio.gather(*(call(f"/api/v1/films/{n}") for n in range(1, 41)))
    assert [status for status, _, _ in answers] == [200] * 40
    assert [json.loads(body)["film_id"] for _, body, _ in answers] == list(range(1, 41))
    threads = {name for _, name in signal_threads}
    assert all(name.startswith("sync-request") for name in threads)
    assert 1 <= len(threads) <= settings.REQUEST_THREADS < 40


async def test_an_async_view_keeps_djangos_async_path(
    signal_threads: list[tuple[str, str]],
) -> None:
    status, body, _ = await call("/api/v1/ai/ask")  # no question: a 400 from the async view
    assert status == 400
    assert json.loads(body)["status"] == 400
    # Django's own path: its signals run on its per-request thread, not on the pool's.
    assert signal_threads and all(not name.startswith("sync-") for _, name in signal_threads)


def test_which_paths_take_which_way() -> None:
    assert serves_async("/api/v1/films") is False
    assert serves_async("/api/v1/films/7") is False
    assert serves_async("/api/v1/customers/1/rentals") is False
    assert serves_async("/admin/") is False
    assert serves_async("/api/v1/ai/ask") is True
    assert serves_async("/api/v1/ai/summary") is True
    assert serves_async("/static/assistant/assistant.js") is True  # no view: static files
    assert serves_async("/no/such/page") is True


def test_the_paths_of_one_view_share_one_answer() -> None:
    view_is_async.cache_clear()
    # Each return has a new path; after the first, none is resolved again.
    for rental_id in (16050, 16051, 99999999999):
        assert serves_async(f"/api/v1/rentals/{rental_id}/return") is False
    assert view_is_async.cache_info().currsize == 1
    # Only whole segments of digits are ids: "v1" and "overdue" stay as they are.
    assert serves_async("/api/v1/rentals/overdue") is False
    assert serves_async("/api/v1/ai/ask") is True
    assert view_is_async.cache_info().currsize == 3


def test_the_served_application_is_this_handler() -> None:
    assert isinstance(application.app, OneHopASGIHandler)


@pytest.mark.parametrize(
    ("env", "threads"),
    [
        ({}, 4),
        ({"REQUEST_THREADS": "8"}, 8),
        # Never more threads than connections: a request with a thread never waits for one.
        ({"REQUEST_THREADS": "8", "DB_POOL_MAX_SIZE": "3"}, 3),
    ],
)
def test_request_threads_default_to_four_and_never_outnumber_the_pools_connections(
    env: dict[str, str], threads: int
) -> None:
    cleared = {"REQUEST_THREADS": None, "DB_POOL_MAX_SIZE": "10", "ENV_FILE": "/nonexistent"}
    assert settings_in_new_process("settings.REQUEST_THREADS", cleared | env) == threads
