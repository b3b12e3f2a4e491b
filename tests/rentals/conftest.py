"""Fixtures for the rentals tests: API clients with and without the token."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient


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
