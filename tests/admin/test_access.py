"""Only staff get into the back office: anonymous users go to the login page, others are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.baker_recipes import PASSWORD, superuser

pytestmark = pytest.mark.django_db

PAGES = ["/admin/", "/admin/rentals/rental/", "/admin/films/film/1/change/"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_user_is_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_non_staff_user_gets_the_admins_refusal(
    client: Client, customer_user: User, url: str
) -> None:
    client.force_login(customer_user)
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/login/?next=")
    page = response.content.decode()
    assert "You are authenticated as visitor, but are not authorized to access this page" in page
    assert "Pagila back office" in page


def test_non_staff_user_cannot_log_in(client: Client, customer_user: User) -> None:
    response = client.post("/admin/login/", {"username": "visitor", "password": PASSWORD})
    assert response.status_code == 200
    assert "Please enter the correct username and password for a staff account" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_staff_user_logs_in_and_sees_the_back_office(client: Client) -> None:
    superuser.make(username="boss")
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "boss", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain == [("/admin/", 302)]
    page = response.content.decode()
    for section in ("Films", "Customers", "Rentals", "Inventory", "Streaming subscriptions"):
        assert section in page


def test_staff_without_permissions_sees_no_tables(client: Client, clerk: User) -> None:
    client.force_login(clerk)
    assert "have permission to view or edit anything" in client.get("/admin/").content.decode()
    assert client.get("/admin/rentals/rental/").status_code == 403
