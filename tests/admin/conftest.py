"""Fixtures for the back-office tests: a staff user without permissions, and a non-staff user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.baker_recipes import staff_user, user


@pytest.fixture
def clerk(db: None) -> User:
    """A staff user who is not a superuser and holds no permissions."""
    return staff_user.make(username="clerk")


@pytest.fixture
def customer_user(db: None) -> User:
    """A user who may log in to the site but is not staff."""
    return user.make(username="visitor")
