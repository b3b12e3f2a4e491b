"""The AI rate limit holds across the worker processes of a real server (one shared counter)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from django.core.cache import cache
from django.db import connection

from tests.live import running_server

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

WORKERS = 2
LIMIT = 5
REQUESTS = 16
# A loopback address of this test's own, so its counter is nobody else's.
CLIENT_ADDRESS = "127.0.0.2"


@pytest.fixture
def server() -> Iterator[str]:
    env = {"AI_RATE_LIMIT": f"{LIMIT}/day", "OPENAI_BASE_URL": "", "OPENAI_API_KEY": ""}
    name = connection.settings_dict["NAME"]
    with running_server(database_name=name, workers=WORKERS, env=env) as url:
        yield url
    day = int(time.time() // 86400)
    cache.delete_many([f"throttle_ai_{CLIENT_ADDRESS}_{d}" for d in (day - 1, day)])


def test_the_limit_counts_every_worker_together(server: str) -> None:
    clients = [
        httpx.Client(
            base_url=server,
            transport=httpx.HTTPTransport(local_address=CLIENT_ADDRESS),
            timeout=10,
        )
        for _ in range(REQUESTS)
    ]
    try:
        # Every connection is open before the first AI request, so the workers share them out.
        assert all(client.get("/healthz").status_code == 200 for client in clients)
        statuses = [
            client.post("/api/v1/ai/summary", json={"film_id": 1}).status_code for client in clients
        ]
    finally:
        for client in clients:
            client.close()
    assert statuses == [200] * LIMIT + [429] * (REQUESTS - LIMIT)
