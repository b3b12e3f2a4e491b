"""Fixtures for the rentals tests: API clients with and without the token, real Pagila ids."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db.models import Max
from rest_framework.test import APIClient

from rentals.models import Payment, Rental

# Real Pagila v3.1.0 facts the tests lean on.
IN_STOCK_COPY = 1  # ACADEMY DINOSAUR (film 1), store 1
OUT_COPY = 2047  # HYDE DOCTOR, out on open rental 11496 (customer 155)
OPEN_RENTAL = 11496
ACTIVE_CUSTOMER = 1
INACTIVE_CUSTOMER = 16
STAFF = 1


def rentals_url(customer_id: int) -> str:
    return f"/api/v1/customers/{customer_id}/rentals"


def rental_url(rental_id: int) -> str:
    return f"/api/v1/rentals/{rental_id}"


def auth_header(token: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token or settings.API_TOKEN}"}


@pytest.fixture
def api() -> APIClient:
    """A client that sends the API token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {settings.API_TOKEN}")
    return client


@pytest.fixture
def anon() -> APIClient:
    """A client without credentials."""
    return APIClient()


@pytest.fixture
def restore_rentals(transactional_db: None) -> Iterator[int]:
    """For live tests: yield the highest rental id, then delete every rental created after it,
    and every payment made meanwhile (returns record one).
    """
    last = Rental.objects.order_by("-rental_id").values_list("rental_id", flat=True).first() or 0
    last_payment = Payment.objects.aggregate(last=Max("payment_id"))["last"]
    yield last
    Payment.objects.filter(payment_id__gt=last_payment).delete()
    Rental.objects.filter(rental_id__gt=last).delete()
