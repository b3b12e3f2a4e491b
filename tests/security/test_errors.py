"""Errors in production mode never show SQL, a stack trace or settings: a JSON 500, logged."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.log_events import JsonLines
from tests.security.urls import SECRET_DETAIL

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

FAILING = ["/boom/plain", "/boom/plain-sql", "/boom/async", "/boom/api", "/boom/api-sql"]
INTERNALS = [
    "Traceback",
    "no_such_table_for_errors",
    "secret_column",
    "SELECT",
    SECRET_DETAIL,
    "RuntimeError",
    "ProgrammingError",
    "/work/",
    ".py",
    "DATABASES",
]


@pytest.fixture
def browser(settings: Any) -> Client:
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", FAILING)
def test_a_failure_is_a_json_500_with_nothing_internal(
    browser: Client, log_lines: JsonLines, path: str
) -> None:
    response = browser.get(path, headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body == {
        "type": "https://pagila-api.invalid/problems/server_error",
        "title": "Server error",
        "status": 500,
        "detail": "An unexpected error occurred.",
        "code": "server_error",
        "request_id": "boom-1",
    }
    text = response.content.decode()
    for internal in [*INTERNALS, settings.SECRET_KEY, settings.API_TOKEN]:
        assert internal not in text
    # The details go to the log, tied to the request by its id.
    logged = [json.loads(line) for line in log_lines.lines if line.startswith("{")]
    errors = [event for event in logged if event["level"] == "error"]
    assert errors and any("exception" in event or "exc_info" in event for event in errors)
    assert any(e.get("request_id") == "boom-1" and e["status"] == 500 for e in logged)


def test_an_unknown_url_is_a_json_404_not_a_debug_page(browser: Client) -> None:
    response = browser.get("/no/such/page")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "urlpatterns" not in response.content.decode()
