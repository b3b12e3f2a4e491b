"""Idempotency-Key on the rentals POSTs: replay, conflict, errors replayed, expiry, bad keys."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from pagila_site.api.idempotency import IDEMPOTENCY_TTL
from pagila_site.api.models import IdempotencyKey
from rentals.models import Rental
from tests.clients import rentals_url, return_url
from tests.pagila_facts import (
    ACTIVE_CUSTOMER,
    IN_STOCK_COPY,
    INACTIVE_CUSTOMER,
    OPEN_RENTAL,
    RENTALS,
    STAFF,
)

pytestmark = pytest.mark.django_db

BODY = {"inventory_id": IN_STOCK_COPY, "staff_id": STAFF}
PROBLEM = "application/problem+json"


def post(api: APIClient, url: str, body: object, key: str) -> Any:
    return api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_and_body_replays_the_201_and_writes_one_rental(api: APIClient) -> None:
    first = post(api, rentals_url(ACTIVE_CUSTOMER), BODY, "order-1")
    again = post(api, rentals_url(ACTIVE_CUSTOMER), BODY, "order-1")

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Rental.objects.count() == RENTALS + 1
    assert Rental.objects.filter(inventory_id=IN_STOCK_COPY, return_date__isnull=True).count() == 1


def test_the_key_order_of_the_json_body_does_not_matter(api: APIClient) -> None:
    post(api, rentals_url(ACTIVE_CUSTOMER), BODY, "order-2")
    reordered = '{"staff_id": 1,  "inventory_id": 1}'
    again = api.post(
        rentals_url(ACTIVE_CUSTOMER),
        reordered,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="order-2",
    )

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Rental.objects.count() == RENTALS + 1


def test_same_key_with_another_body_is_422_and_writes_nothing_more(api: APIClient) -> None:
    post(api, rentals_url(ACTIVE_CUSTOMER), BODY, "order-3")

    other = post(
        api, rentals_url(ACTIVE_CUSTOMER), {"inventory_id": 2, "staff_id": STAFF}, "order-3"
    )

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Rental.objects.count() == RENTALS + 1
    assert not Rental.objects.filter(inventory_id=2, return_date__isnull=True).exists()


def test_same_key_on_another_endpoint_is_422(api: APIClient) -> None:
    post(api, rentals_url(ACTIVE_CUSTOMER), BODY, "order-4")

    other = post(api, rentals_url(2), BODY, "order-4")
    returned = post(api, return_url(OPEN_RENTAL), None, "order-4")

    assert other.status_code == returned.status_code == 422
    assert Rental.objects.count() == RENTALS + 1
    assert Rental.objects.get(pk=OPEN_RENTAL).return_date is None


def test_an_error_response_is_replayed_too(api: APIClient) -> None:
    first = post(api, rentals_url(INACTIVE_CUSTOMER), BODY, "order-5")
    again = post(api, rentals_url(INACTIVE_CUSTOMER), BODY, "order-5")

    assert first.status_code == again.status_code == 409
    assert again.content == first.content
    assert again["Content-Type"] == "application/problem+json"
    assert again["Idempotent-Replayed"] == "true"
    assert Rental.objects.count() == RENTALS


def test_a_replayed_return_is_200_not_409(api: APIClient) -> None:
    first = post(api, return_url(OPEN_RENTAL), None, "return-1")
    again = post(api, return_url(OPEN_RENTAL), None, "return-1")
    without_key = api.post(return_url(OPEN_RENTAL))

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert without_key.status_code == 409


def test_the_key_is_stored_for_24_hours_with_the_response(api: APIClient) -> None:
    assert timedelta(hours=24) == IDEMPOTENCY_TTL
    response = post(api, rentals_url(ACTIVE_CUSTOMER), BODY, "order-6")

    stored = IdempotencyKey.objects.get(key="order-6")
    assert stored.expires_at - stored.created_at == IDEMPOTENCY_TTL
    assert stored.response_status == 201
    assert stored.response_location == response["Location"]
    assert IdempotencyKey.objects.count() == 1


def test_an_expired_key_runs_the_request_again_and_is_replaced(api: APIClient) -> None:
    post(api, rentals_url(ACTIVE_CUSTOMER), BODY, "order-7")
    IdempotencyKey.objects.filter(key="order-7").update(expires_at=timezone.now())

    again = post(api, rentals_url(ACTIVE_CUSTOMER), BODY, "order-7")

    assert again.status_code == 409
    assert again.json()["code"] == "copy_not_available"
    assert not again.has_header("Idempotent-Replayed")
    assert IdempotencyKey.objects.get(key="order-7").response_status == 409


def test_expired_keys_are_purged_when_a_new_key_is_stored(api: APIClient) -> None:
    post(api, rentals_url(INACTIVE_CUSTOMER), BODY, "old")
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    post(api, rentals_url(INACTIVE_CUSTOMER), BODY, "new")

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "clé", "tab\there"])
def test_a_malformed_key_is_400_and_writes_nothing(api: APIClient, key: str) -> None:
    response = post(api, rentals_url(ACTIVE_CUSTOMER), BODY, key)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_idempotency_key"
    assert list(body["errors"]) == ["Idempotency-Key"]
    assert Rental.objects.count() == RENTALS
    assert not IdempotencyKey.objects.exists()


def test_without_a_key_nothing_is_stored(api: APIClient) -> None:
    api.post(rentals_url(ACTIVE_CUSTOMER), BODY, format="json")

    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize(
    ("url", "body", "status", "content_type"),
    [
        (rentals_url(ACTIVE_CUSTOMER), BODY, 201, "application/json"),
        (return_url(OPEN_RENTAL), None, 200, "application/json"),
        (rentals_url(ACTIVE_CUSTOMER), {"inventory_id": 4582, "staff_id": STAFF}, 400, PROBLEM),
        (rentals_url(9999), BODY, 404, PROBLEM),
        (return_url(1), None, 409, PROBLEM),
    ],
)
def test_each_outcome_is_stored_and_replayed_byte_for_byte_with_its_status(
    api: APIClient, url: str, body: object, status: int, content_type: str
) -> None:
    first = post(api, url, body, "replay-me")
    again = post(api, url, body, "replay-me")

    assert first.status_code == again.status_code == status
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == content_type
    assert again["Idempotent-Replayed"] == "true"
    stored = IdempotencyKey.objects.get(key="replay-me")
    assert stored.response_status == status
    assert json.loads(stored.response_body) == first.json()
    if status < 300:  # the lean body is stored as it was sent
        assert stored.response_body.encode() == first.content
