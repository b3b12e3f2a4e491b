"""Bodies that are too big, too deep, not UTF-8 or not JSON: a clear 4xx problem, nothing written.

Each case is sent to a DRF endpoint (renting a copy) and to an async one (the AI summary or
handoff), which parse bodies through the same rules (pagila_site.api.parsers).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rentals.models import Rental
from tests.clients import HANDOFF_URL, SUMMARY_URL, assert_problem, auth_header, rentals_url
from tests.pagila_facts import ACTIVE_CUSTOMER, RENTALS

pytestmark = pytest.mark.django_db

RENT = rentals_url(ACTIVE_CUSTOMER)
ONE_MB = 1024 * 1024


@pytest.fixture(autouse=True)
def offline_assistant(settings: Any) -> None:
    settings.OPENAI_BASE_URL = ""
    settings.OPENAI_API_KEY = ""
    settings.AI_RATE_LIMIT = "off"
    settings.API_TOKEN = "dvd_admin"


def post(client: Client, path: str, body: bytes, content_type: str = "application/json") -> Any:
    return client.post(path, body, content_type=content_type, headers=auth_header())


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


@pytest.mark.parametrize("path", [RENT, SUMMARY_URL])
def test_a_body_over_one_megabyte_is_413(client: Client, path: str) -> None:
    body = b'{"inventory_id": 1, "staff_id": 1, "pad": "' + b"x" * ONE_MB + b'"}'
    problem = assert_problem(post(client, path, body), 413, "request_too_large")
    assert str(ONE_MB) in problem["detail"]
    assert Rental.objects.count() == RENTALS


@pytest.mark.parametrize("path", [RENT, SUMMARY_URL])
@pytest.mark.parametrize("levels", [33, 100_000], ids=["past-the-limit", "past-the-recursion"])
def test_deeply_nested_json_is_a_400_parse_error(client: Client, path: str, levels: int) -> None:
    assert_problem(post(client, path, deep(levels)), 400, "parse_error")


def test_thirty_two_levels_parse_and_then_fail_validation(client: Client) -> None:
    body = b'{"inventory_id": 1, "staff_id": ' + deep(31) + b"}"
    problem = assert_problem(post(client, RENT, body), 400, "invalid")
    assert "staff_id" in problem["errors"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"question": "caf\xe9"}',  # Latin-1, not UTF-8
        b'{"question": "\xed\xa0\x80"}',  # a UTF-8-encoded surrogate
        b'{"question": "\\ud800"}',  # a lone surrogate escape
        b'{"question": NaN}',
        b'{"question": "a"',
    ],
    ids=["latin-1", "encoded-surrogate", "escaped-surrogate", "nan", "truncated"],
)
def test_bodies_that_are_not_strict_utf8_json_are_a_400_parse_error(
    client: Client, body: bytes
) -> None:
    assert_problem(post(client, HANDOFF_URL, body), 400, "parse_error")
    assert_problem(post(client, RENT, body), 400, "parse_error")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml"],
)
@pytest.mark.parametrize("path", [RENT, HANDOFF_URL])
def test_a_body_that_is_not_json_is_415(client: Client, path: str, content_type: str) -> None:
    body = b'{"inventory_id": 1, "staff_id": 1, "question": "hi"}'
    assert_problem(post(client, path, body, content_type), 415, "unsupported_media_type")
    assert Rental.objects.count() == RENTALS


def test_thousands_of_unknown_fields_get_a_short_400(client: Client) -> None:
    fields = ", ".join(f'"f{i}": {i}' for i in range(20_000))
    body = ('{"inventory_id": 1, "staff_id": 1, ' + fields + "}").encode()
    response = post(client, RENT, body)
    problem = assert_problem(response, 400, "invalid")
    assert len(problem["errors"]) == 11
    assert problem["errors"]["non_field_errors"] == ["And 19990 more unknown fields."]
    assert len(response.content) < 2000
    assert Rental.objects.count() == RENTALS


def test_a_huge_array_is_refused_without_echoing_it(client: Client) -> None:
    body = b"[" + b",".join([b"1"] * 200_000) + b"]"
    response = post(client, SUMMARY_URL, body)
    assert_problem(response, 400, "invalid")
    assert len(response.content) < 2000
