"""Every back-office changelist and change page renders for staff on real Pagila data, in budget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rentals.models import StreamingSubscription
from tests.baker_recipes import subscription

pytestmark = pytest.mark.django_db

# (url, most queries allowed, text the page must show). A list page shows up to 100 rows, so a
# query per row would blow any of these budgets many times over. Two of each budget are the
# session and the user.
PAGES = [
    ("/admin/", 4, "Pagila back office"),
    ("/admin/films/film/", 6, "ACADEMY DINOSAUR"),
    ("/admin/films/film/?categories__category_id__exact=5&rating__exact=PG", 6, "Comedy"),
    ("/admin/films/film/1/change/", 8, "PENELOPE GUINESS"),
    ("/admin/films/category/", 6, "Documentary"),
    ("/admin/films/category/6/change/", 5, "Documentary"),
    ("/admin/films/language/", 6, "English"),
    ("/admin/films/language/1/change/", 5, "English"),
    ("/admin/films/actor/", 6, "GUINESS"),
    ("/admin/films/actor/1/change/", 6, "ACADEMY DINOSAUR"),
    ("/admin/rentals/customer/", 6, "MARY.SMITH@sakilacustomer.org"),
    ("/admin/rentals/customer/?active=0&store__store_id__exact=1", 6, "8 customers"),
    ("/admin/rentals/customer/75/change/", 11, "TAMMY"),
    ("/admin/rentals/customer/add/", 4, "Add customer"),
    ("/admin/rentals/inventory/", 6, "ACADEMY DINOSAUR"),
    ("/admin/rentals/inventory/?in_stock=no&store__store_id__exact=2", 6, "91 inventory"),
    ("/admin/rentals/inventory/6/change/", 7, "ACADEMY DINOSAUR"),
    ("/admin/rentals/rental/", 8, "Rental"),
    ("/admin/rentals/rental/?status=open&inventory__store__store_id__exact=1", 8, "92 rentals"),
    ("/admin/rentals/rental/?rental_date__year=2022&rental_date__month=2", 7, "182 rentals"),
    ("/admin/rentals/rental/?q=TAMMY", 8, "41 rentals"),
    ("/admin/rentals/rental/14098/change/", 6, "ACADEMY DINOSAUR"),
    ("/admin/rentals/rental/add/", 4, "Add rental"),
    ("/admin/rentals/rental/?status=overdue&inventory__store__store_id__exact=2", 8, "91 rentals"),
    ("/admin/rentals/payment/", 7, "16049 payments"),
    (
        "/admin/rentals/payment/?month=2022-03&rental__inventory__store__store_id__exact=1",
        7,
        "1294 payments",
    ),
    ("/admin/rentals/payment/?q=TAMMY", 7, "41 payments"),
    ("/admin/rentals/payment/18496/change/", 7, "MARY SMITH"),
    ("/admin/dashboard/", 12, "Most rented films"),
    ("/admin/rentals/store/", 6, "Mike Hillyer"),
    ("/admin/rentals/store/1/change/", 7, "Mike Hillyer"),
    ("/admin/rentals/staff/", 6, "Mike.Hillyer@sakilastaff.com"),
    ("/admin/rentals/staff/1/change/", 7, "Mike.Hillyer@sakilastaff.com"),
    ("/admin/rentals/streamingsubscription/", 7, "Family"),
    ("/admin/rentals/streamingsubscription/add/", 4, "Add streaming subscription"),
]


@pytest.fixture
def subscriptions() -> list[StreamingSubscription]:
    """150 customers with a Family plan: more than a list page shows."""
    customers = iter(range(1, 151))
    return subscription.make(
        customer_id=customers, plan_name="Family", _quantity=150, _bulk_create=True
    )


@pytest.mark.parametrize(("url", "budget", "shows"), PAGES, ids=[page[0] for page in PAGES])
def test_page_renders_for_staff_within_its_query_budget(
    admin_client: Client,
    django_assert_max_num_queries,
    subscriptions: list[StreamingSubscription],
    url: str,
    budget: int,
    shows: str,
) -> None:
    with django_assert_max_num_queries(budget):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert shows in response.content.decode()


def test_subscription_change_page_renders_within_its_query_budget(
    admin_client: Client, django_assert_max_num_queries, subscriptions: list[StreamingSubscription]
) -> None:
    with django_assert_max_num_queries(5):
        response = admin_client.get(
            f"/admin/rentals/streamingsubscription/{subscriptions[0].pk}/change/"
        )
    assert response.status_code == 200
    assert "MARY SMITH" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?status=open", "?q=SMITH", "?rental_date__year=2022"])
def test_rental_changelist_counts_the_16k_rentals_once_per_page(
    admin_client: Client, query: str
) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(f"/admin/rentals/rental/{query}")
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1, counts
    assert 'FROM "rental"' in counts[0]
