"""Every error under /api/ is a problem document, DEBUG on (`make run`) or off; not elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

PROBLEM = "application/problem+json"


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request: pytest.FixtureRequest, settings: Any) -> bool:
    settings.DEBUG = request.param
    return bool(request.param)


@pytest.fixture
def api(debug: bool) -> Client:
    return Client(raise_request_exception=False, headers={"X-Request-ID": "api-problem-1"})


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM, response.content[:300]
    body: dict[str, Any] = response.json()
    assert (body["status"], body["code"], body["request_id"]) == (status, code, "api-problem-1")
    assert body["type"] == f"https://pagila-api.invalid/problems/{code}"
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/nonexistent"),
        ("post", "/api/v1/rentals/null,null/return"),
        ("get", "/api/v1/films/abc"),
        ("delete", "/api/v2/films"),
    ],
)
def test_an_unknown_api_url_is_a_404_problem(api: Client, method: str, path: str) -> None:
    body = assert_problem(getattr(api, method)(path), 404, "not_found")
    assert body["detail"] == "No such resource."


def test_a_method_a_plain_view_refuses_is_a_405_problem_that_keeps_allow(api: Client) -> None:
    response = api.post("/api/get-only")
    assert_problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


@pytest.mark.parametrize("path", ["/api/boom/plain", "/api/boom/async", "/api/boom/api-sql"])
def test_a_failure_under_api_is_a_500_problem_with_debug_detail_only_in_debug(
    api: Client, debug: bool, path: str
) -> None:
    body = assert_problem(api.get(path), 500, "server_error")
    assert body["detail"] == "An unexpected error occurred."
    if debug:
        assert body["debug"]["exception"].split(":")[0] in ("RuntimeError", "ProgrammingError")
        assert "Traceback" in body["debug"]["traceback"][0]
    else:
        assert "debug" not in body


def test_a_bad_host_is_a_400_problem_keeping_the_security_headers(api: Client) -> None:
    response = api.get("/api/v1/films", headers={"Host": "evil.example"})
    assert_problem(response, 400, "bad_request")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_outside_the_api_keep_djangos_debug_pages(settings: Any) -> None:
    settings.DEBUG = True
    browser = Client(raise_request_exception=False)
    for path, status in [("/no/such/page", 404), ("/boom/plain", 500)]:
        response = browser.get(path, headers={"Accept": "text/html"})
        assert response.status_code == status
        assert response["Content-Type"].startswith("text/html")
