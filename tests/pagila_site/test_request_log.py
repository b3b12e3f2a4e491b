"""Every request gets an id (echoed back, in error bodies) and one structured log line."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import pytest
from django.test import AsyncClient, Client

from tests.log_events import structlog_events


def request_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return structlog_events(caplog, "pagila.request")


def test_a_client_request_id_is_echoed_and_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    started = time.perf_counter()
    with caplog.at_level(logging.INFO, logger="pagila.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert response["X-Request-ID"] == "abc-123"
    [event] = request_events(caplog)
    assert event["event"] == "request"
    assert event["method"] == "GET"
    assert event["path"] == "/healthz"
    assert event["status"] == 200
    assert event["request_id"] == "abc-123"
    assert 0 < event["duration_ms"] <= elapsed_ms


@pytest.mark.parametrize("offered", ["", "x" * 129, "bad id with spaces", "<script>"])
def test_a_missing_or_unsafe_request_id_is_replaced(client: Client, offered: str) -> None:
    generated = client.get("/healthz", HTTP_X_REQUEST_ID=offered)["X-Request-ID"]
    again = client.get("/healthz", HTTP_X_REQUEST_ID=offered)["X-Request-ID"]
    assert re.fullmatch("[0-9a-f]{32}", generated), generated
    assert re.fullmatch("[0-9a-f]{32}", again), again
    assert again != generated, "each request gets a fresh id"


def test_error_bodies_carry_the_request_id(client: Client) -> None:
    response = client.get("/api/v1/no-such-endpoint", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    assert response.json()["request_id"] == "req-404"


async def test_the_async_chain_serves_static_files_and_tags_requests() -> None:
    client = AsyncClient()
    response = await client.get("/static/admin/css/base.css", headers={"X-Request-ID": "s-1"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "s-1"
    assert response["Content-Type"].startswith("text/css")
