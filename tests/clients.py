"""The API's URLs, its bearer-token header, and the check every problem+json response passes."""

from __future__ import annotations

from typing import Any

from django.conf import settings

ASK_URL = "/api/v1/ai/ask"
SUMMARY_URL = "/api/v1/ai/summary"
HANDOFF_URL = "/api/v1/ai/handoff"
STAFF_ASK_URL = "/admin/assistant/ask"
STAFF_PAGE_URL = "/admin/assistant/"


def rentals_url(customer_id: int) -> str:
    """A customer's rentals: GET lists them, POST rents a copy."""
    return f"/api/v1/customers/{customer_id}/rentals"


def rental_url(rental_id: int) -> str:
    return f"/api/v1/rentals/{rental_id}"


def return_url(rental_id: int) -> str:
    return f"{rental_url(rental_id)}/return"


def auth_header(token: str | None = None) -> dict[str, str]:
    """The Authorization header with `token`, by default the configured API token."""
    return {"Authorization": f"Bearer {token or settings.API_TOKEN}"}


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert `response` is the one error format with this status and code; return its body."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["request_id"] == response["X-Request-ID"]
    return body
