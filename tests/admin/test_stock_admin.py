"""The inventory pages: copies by store and film, each marked in stock or rented out."""

from __future__ import annotations

import pytest
from django.test import Client

from rentals.models import Inventory
from tests.admin_pages import changelist, transaction_now
from tests.pagila_facts import INVENTORY_COPIES, OPEN_RENTALS

pytestmark = pytest.mark.django_db

INVENTORY = "/admin/rentals/inventory/"


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, INVENTORY_COPIES),
        ({"in_stock": "no"}, OPEN_RENTALS),
        ({"in_stock": "yes"}, INVENTORY_COPIES - OPEN_RENTALS),
        ({"store__store_id__exact": "1"}, 2270),
        ({"store__store_id__exact": "1", "in_stock": "no"}, 92),
        ({"q": "ACADEMY DINOSAUR"}, 8),
    ],
)
def test_inventory_list_filters_by_store_and_stock_and_searches_film_titles(
    admin_client: Client, params: dict[str, str], count: int
) -> None:
    assert changelist(admin_client, INVENTORY, **params).result_count == count


def test_inventory_list_shows_which_copies_are_in(admin_client: Client) -> None:
    cl = changelist(admin_client, INVENTORY, q="ACADEMY DINOSAUR")
    assert [(copy.pk, copy.store_id, copy.in_stock) for copy in cl.result_list] == [
        (1, 1, True),
        (2, 1, True),
        (3, 1, True),
        (4, 1, True),
        (5, 2, True),
        (6, 2, False),
        (7, 2, True),
        (8, 2, True),
    ]


def test_copy_page_says_whether_it_is_in_stock(admin_client: Client) -> None:
    out = admin_client.get(f"{INVENTORY}6/change/").content.decode()
    assert 'alt="False"' in out
    assert 'alt="True"' in admin_client.get(f"{INVENTORY}5/change/").content.decode()


def test_a_new_copy_is_added_and_is_in_stock(admin_client: Client) -> None:
    assert "in stock" not in admin_client.get(f"{INVENTORY}add/").content.decode().lower()
    response = admin_client.post(f"{INVENTORY}add/", {"film": 1, "store": 2})
    assert response.status_code == 302
    copy = Inventory.objects.get(film_id=1, inventory_id__gt=INVENTORY_COPIES)
    assert copy.store_id == 2
    assert copy.last_update == transaction_now()  # the database's default
    assert Inventory.objects.in_stock().filter(pk=copy.pk).exists()
    assert changelist(admin_client, INVENTORY, q="ACADEMY DINOSAUR").result_count == 9
