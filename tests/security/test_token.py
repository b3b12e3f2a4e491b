"""The API token never reaches a log line; each refused credential is a warning with the client."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from rentals.models import Rental
from tests.log_events import JsonLines

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-Prod-token-2f9e81c4"
RENT = "/api/v1/customers/1/rentals"


@pytest.fixture(autouse=True)
def production_token(settings: Any) -> None:
    settings.API_TOKEN = TOKEN


def rent(client: Client, authorization: str | None) -> Any:
    headers = {} if authorization is None else {"Authorization": authorization}
    body = {"inventory_id": 1, "staff_id": 1}
    return client.post(RENT, body, content_type="application/json", headers=headers)


def events(log: JsonLines, name: str) -> list[dict[str, Any]]:
    parsed = [json.loads(line) for line in log.lines if line.startswith("{")]
    return [event for event in parsed if event.get("event") == name]


def test_no_log_line_holds_the_token_during_a_401_and_a_201(
    client: Client, log_lines: JsonLines
) -> None:
    near_miss = TOKEN[:-1]
    assert rent(client, f"Bearer {near_miss}").status_code == 401
    assert rent(client, TOKEN).status_code == 401  # the bare token, no scheme
    created = rent(client, f"Bearer {TOKEN}")
    assert created.status_code == 201
    assert Rental.objects.filter(pk=created.json()["rental_id"]).exists()

    assert log_lines.lines, "nothing was logged"
    assert near_miss not in log_lines.text  # so not the token either
    statuses = [(e["method"], e["path"], e["status"]) for e in events(log_lines, "request")]
    assert statuses == [("POST", RENT, 401), ("POST", RENT, 401), ("POST", RENT, 201)]
    for event in events(log_lines, "request"):
        assert event["duration_ms"] > 0
        assert re.fullmatch("[0-9a-f]{32}", event["request_id"]), event["request_id"]


def test_every_refused_credential_is_a_warning_with_the_client_and_the_reason(
    client: Client, log_lines: JsonLines
) -> None:
    for authorization in [None, "Bearer wrong-token", "Basic dXNlcjpwYXNz", f"Bearer {TOKEN}"]:
        rent(client, authorization)
    rejected = events(log_lines, "api token rejected")
    assert [(e["reason"], e["client"], e["level"]) for e in rejected] == [
        ("missing", "127.0.0.1", "warning"),
        ("wrong", "127.0.0.1", "warning"),
        ("malformed", "127.0.0.1", "warning"),
    ]
    request_ids = [e["request_id"] for e in events(log_lines, "request")]
    assert [e["request_id"] for e in rejected] == request_ids[:3]
    assert "wrong-token" not in log_lines.text and "dXNlcjpwYXNz" not in log_lines.text
