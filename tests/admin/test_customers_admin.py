"""The customer pages: search and filters, and the open rentals and subscriptions on each page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from rentals.models import Customer, Inventory, Rental
from tests.admin_pages import changelist, messages_of, transaction_now
from tests.baker_recipes import open_rental, subscription
from tests.pagila_facts import (
    ACTIVE_CUSTOMER,
    CUSTOMERS,
    INACTIVE_CUSTOMER,
    INACTIVE_CUSTOMERS,
    TAMMY_SANDERS,
)

pytestmark = pytest.mark.django_db

CUSTOMER_PAGES = "/admin/rentals/customer/"


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, CUSTOMERS),
        ({"q": "smith"}, 1),
        ({"q": "MARY SMITH"}, 1),
        ({"q": "TAMMY.SANDERS@sakilacustomer.org"}, 1),
        ({"active": "0"}, INACTIVE_CUSTOMERS),
        ({"active": "1"}, CUSTOMERS - INACTIVE_CUSTOMERS),
        ({"store__store_id__exact": "1"}, 326),
        ({"store__store_id__exact": "2", "active": "0"}, 7),
    ],
)
def test_customer_list_searches_names_and_email_and_filters_store_and_active(
    admin_client: Client, params: dict[str, str], count: int
) -> None:
    assert changelist(admin_client, CUSTOMER_PAGES, **params).result_count == count


def _rental_links(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/admin/rentals/rental/(\d+)/change/"', page)]


def test_customer_page_lists_open_rentals_newest_first(admin_client: Client) -> None:
    page = admin_client.get(f"{CUSTOMER_PAGES}{TAMMY_SANDERS}/change/").content.decode()
    assert _rental_links(page) == [15191, 14488, 13534]
    assert "Showing the newest" not in page


def test_customer_page_shows_at_most_twenty_open_rentals_in_the_same_queries(
    admin_client: Client, django_assert_max_num_queries
) -> None:
    copies = iter(Inventory.objects.in_stock().order_by("inventory_id")[:18])
    rentals = open_rental.make(customer_id=TAMMY_SANDERS, inventory=copies, _quantity=18)
    created = [rental.pk for rental in rentals]
    with django_assert_max_num_queries(10):
        page = admin_client.get(f"{CUSTOMER_PAGES}{TAMMY_SANDERS}/change/").content.decode()
    shown = _rental_links(page)
    assert len(shown) == 20
    assert set(created) <= set(shown)
    assert 13534 not in shown  # the oldest of the 21 is left off
    assert "Showing the newest 20." in page
    assert f'href="/admin/rentals/rental/?customer__exact={TAMMY_SANDERS}&amp;status=open"' in page
    assert (
        changelist(
            admin_client,
            "/admin/rentals/rental/",
            customer__exact=str(TAMMY_SANDERS),
            status="open",
        ).result_count
        == 21
    )


def test_customer_page_lists_streaming_subscriptions_newest_first(admin_client: Client) -> None:
    subscription.make(customer_id=TAMMY_SANDERS, start_date=datetime.date(2025, 1, 1))
    subscription.make(
        customer_id=TAMMY_SANDERS,
        plan_name="Premium",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 9, 1),
    )
    page = admin_client.get(f"{CUSTOMER_PAGES}{TAMMY_SANDERS}/change/").content.decode()
    assert page.index("Premium") < page.index("Basic")
    assert "open-ended" in page
    assert f'href="/admin/rentals/streamingsubscription/add/?customer={TAMMY_SANDERS}"' in page


def test_editing_a_customer_writes_the_changed_columns_only(admin_client: Client) -> None:
    page = admin_client.get(f"{CUSTOMER_PAGES}{INACTIVE_CUSTOMER}/change/")
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name) if form.initial.get(name) is not None else ""
        for name in form.fields
    }
    data["active"] = "1"
    before = Customer.objects.get(pk=INACTIVE_CUSTOMER)

    response = admin_client.post(f"{CUSTOMER_PAGES}{INACTIVE_CUSTOMER}/change/", data, follow=True)

    assert any("was changed successfully" in m for m in messages_of(response))
    customer = Customer.objects.get(pk=INACTIVE_CUSTOMER)
    assert customer.is_active
    assert customer.last_update > before.last_update
    assert (customer.email, customer.create_date) == (before.email, before.create_date)
    assert Customer.objects.filter(active=0).count() == INACTIVE_CUSTOMERS - 1


def test_customers_cannot_be_deleted_from_the_back_office(admin_client: Client) -> None:
    delete = f"{CUSTOMER_PAGES}{ACTIVE_CUSTOMER}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Customer.objects.count() == CUSTOMERS
    assert Rental.objects.filter(customer_id=ACTIVE_CUSTOMER).count() == 32


def test_a_new_customer_gets_pagilas_defaults(admin_client: Client) -> None:
    response = admin_client.post(
        f"{CUSTOMER_PAGES}add/",
        {
            "first_name": "ZELDA",
            "last_name": "QUIXOTEBERG",
            "email": "ZELDA.QUIXOTEBERG@sakilacustomer.org",
            "store": 1,
            "address": 5,
            "active": 1,
            "activebool": "on",
        },
    )
    assert response.status_code == 302
    customer = Customer.objects.get(last_name="QUIXOTEBERG")
    assert customer.is_active
    now = transaction_now()  # what the database's defaults wrote
    assert (customer.create_date, customer.last_update) == (now.date(), now)
    assert changelist(admin_client, CUSTOMER_PAGES, q="quixoteberg").result_count == 1
