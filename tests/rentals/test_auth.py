"""The API token on the rentals endpoints: 401 with `WWW-Authenticate: Bearer`, never a leak."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from rentals.models import Rental
from tests.clients import rental_url, rentals_url, return_url
from tests.pagila_facts import (
    ACTIVE_CUSTOMER,
    IN_STOCK_COPY,
    OPEN_RENTAL,
    OPEN_RENTALS,
    RENTALS,
    STAFF,
)

pytestmark = pytest.mark.django_db

TOKEN = settings.API_TOKEN

REJECTED = {
    "missing": None,
    "empty": "",
    "wrong token": "Bearer not-the-token",
    "token prefix": f"Bearer {TOKEN[:-1]}",
    "token with a suffix": f"Bearer {TOKEN}x",
    "wrong scheme": f"Token {TOKEN}",
    "basic scheme": "Basic ZHZkX2FkbWluOmR2ZF9hZG1pbg==",
    "bare token": TOKEN,
    "scheme without token": "Bearer",
    "scheme and spaces only": "Bearer    ",
    "extra word after the token": f"Bearer {TOKEN} extra",
    "space inside the token": f"Bearer {TOKEN[:3]} {TOKEN[3:]}",
    "non-ASCII token": "Bearer dvd_admïn",
}
ACCEPTED = {
    "exact": f"Bearer {TOKEN}",
    "lowercase scheme": f"bearer {TOKEN}",
    "several spaces after the scheme": f"Bearer   {TOKEN}",
    "surrounding whitespace": f"  Bearer {TOKEN}  ",
    "tab after the scheme": f"Bearer\t{TOKEN}",
}
ENDPOINTS = [
    ("get", rentals_url(ACTIVE_CUSTOMER)),
    ("post", rentals_url(ACTIVE_CUSTOMER)),
    ("get", rental_url(1)),
    ("post", return_url(OPEN_RENTAL)),
]


def call(method: str, url: str, authorization: str | None) -> Any:
    client = APIClient()
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    body = {"inventory_id": IN_STOCK_COPY, "staff_id": STAFF}
    return getattr(client, method)(url, body if method == "post" else None, format="json")


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize("authorization", REJECTED.values(), ids=REJECTED.keys())
def test_requests_without_the_right_bearer_token_are_401_and_write_nothing(
    method: str, url: str, authorization: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = call(method, url, authorization)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert body["code"] in {"not_authenticated", "authentication_failed"}
    assert TOKEN not in response.content.decode()
    assert TOKEN not in caplog.text
    assert Rental.objects.count() == RENTALS
    assert Rental.objects.open().count() == OPEN_RENTALS


@pytest.mark.parametrize("authorization", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_the_bearer_token_is_accepted_with_rfc_whitespace_and_any_case_scheme(
    authorization: str,
) -> None:
    assert call("get", rental_url(1), authorization).status_code == 200


@override_settings(API_TOKEN="")
def test_an_empty_configured_token_lets_nobody_in() -> None:
    assert call("get", rental_url(1), "Bearer ").status_code == 401
    assert call("get", rental_url(1), "Bearer dvd_admin").status_code == 401


@override_settings(API_TOKEN="s3cret-Production-token")
def test_the_configured_token_replaces_the_development_default() -> None:
    assert call("get", rental_url(1), "Bearer dvd_admin").status_code == 401
    assert call("get", rental_url(1), "Bearer s3cret-Production-token").status_code == 200
