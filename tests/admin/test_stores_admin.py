"""Stores and staff are read-mostly, and Pagila's staff password hash never reaches a page."""

from __future__ import annotations

import pytest
from django.test import Client

from rentals.models import Staff, Store
from tests.pagila_facts import STAFF_PASSWORD_HASH

pytestmark = pytest.mark.django_db

STAFF = "/admin/rentals/staff/"


@pytest.mark.parametrize(
    "url", [STAFF, f"{STAFF}1/change/", f"{STAFF}?q=mike", "/admin/rentals/store/1/change/"]
)
def test_staff_password_hash_is_never_shown(admin_client: Client, url: str) -> None:
    page = admin_client.get(url).content.decode()
    assert "Mike" in page
    assert STAFF_PASSWORD_HASH not in page
    assert 'name="password"' not in page


def test_staff_page_edits_email_and_active_only(admin_client: Client) -> None:
    before = Staff.objects.get(pk=1)
    response = admin_client.post(
        f"{STAFF}1/change/",
        {
            "email": "mike@store1.example",
            "active": "on",
            "username": "hacker",
            "password": "plain",
            "first_name": "Evil",
        },
    )
    assert response.status_code == 302
    staff = Staff.objects.get(pk=1)
    assert staff.email == "mike@store1.example"
    assert (staff.username, staff.first_name, staff.password) == (
        "Mike",
        "Mike",
        STAFF_PASSWORD_HASH,
    )
    assert staff.last_update > before.last_update
    assert admin_client.get(f"{STAFF}add/").status_code == 403


def test_stores_are_read_only(admin_client: Client) -> None:
    page = admin_client.get("/admin/rentals/store/1/change/").content.decode()
    assert 'name="_save"' not in page
    assert (
        admin_client.post("/admin/rentals/store/1/change/", {"manager_staff": 2}).status_code == 403
    )
    assert Store.objects.get(pk=1).manager_staff_id == 1
    assert admin_client.post("/admin/rentals/store/1/delete/", {"post": "yes"}).status_code == 403
