"""Fixtures for the back-office tests: staff and non-staff users, and reading a changelist."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import User
from django.test import Client

# Pagila's SHA-1 hash of both staff members' password: it must never reach a page.
PAGILA_STAFF_PASSWORD_HASH = "8cb2237d0679ca88db6464eac60da96345513964"


@pytest.fixture
def clerk(django_user_model: type[User]) -> User:
    """A staff user who is not a superuser and holds no permissions."""
    return django_user_model.objects.create_user("clerk", password="clerk-pass", is_staff=True)


@pytest.fixture
def customer_user(django_user_model: type[User]) -> User:
    """A logged-in-able user who is not staff."""
    return django_user_model.objects.create_user("visitor", password="visitor-pass")


def changelist(client: Client, url: str, **params: Any) -> ChangeList:
    """GET a changelist page (200 asserted) and return the ChangeList that rendered it."""
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.context["cl"]


def messages_of(response: Any) -> list[str]:
    """The admin messages a (followed) response carries."""
    return [str(message) for message in response.context["messages"]]
