"""Fixtures for the rentals tests: an API client that sends the token."""

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
