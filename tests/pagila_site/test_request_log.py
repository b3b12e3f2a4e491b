"""Every request gets an id (echoed back, in error bodies) and one structured log line."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import AsyncClient, Client

from tests.log_events import structlog_events


def request_events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return structlog_events(caplog, "pagila.request")


def test_a_client_request_id_is_echoed_and_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="pagila.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    [event] = request_events(caplog)
    assert event["event"] == "request"
    assert event["method"] == "GET"
    assert event["path"] == "/healthz"
    assert event["status"] == 200
    assert event["request_id"] == "abc-123"
    assert event["duration_ms"] >= 0


@pytest.mark.parametrize("offered", ["", "x" * 129, "bad id with spaces", "<script>"])
def test_a_missing_or_unsafe_request_id_is_replaced(client: Client, offered: str) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID=offered)
    generated = response["X-Request-ID"]
    assert generated != offered
    assert len(generated) == 32
    assert int(generated, 16) >= 0


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
