"""The staff dashboard: staff only, each chart's figures as SQL written here counts them, each
chart three queries at most, and markup the site's CSP lets through.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from rentals import dashboard
from rentals.admin.charts import nice_top

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/dashboard/"
BAR = re.compile(r'<rect [^>]*data-series="([^"]*)" data-label="([^"]*)" data-value="([^"]*)"')


def rows(query: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


RENTALS_PER_DAY = """
SELECT to_char(r.rental_date AT TIME ZONE 'UTC', 'YYYY-MM-DD'), i.store_id, count(*)
  FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id GROUP BY 1, 2
"""
REVENUE_PER_MONTH = """
SELECT to_char(p.payment_date AT TIME ZONE 'UTC', 'YYYY-MM'), i.store_id, sum(p.amount)
  FROM payment p JOIN rental r ON r.rental_id = p.rental_id
  JOIN inventory i ON i.inventory_id = r.inventory_id GROUP BY 1, 2
"""
TOP_FILMS = """
SELECT f.title, count(r.rental_id) FROM film f
  LEFT JOIN inventory i ON i.film_id = f.film_id
  LEFT JOIN rental r ON r.inventory_id = i.inventory_id
 GROUP BY f.film_id ORDER BY 2 DESC, 1 LIMIT 10
"""
TOP_CATEGORIES = """
SELECT c.name, count(r.rental_id) FROM category c JOIN film_category fc USING (category_id)
  JOIN inventory i USING (film_id) JOIN rental r USING (inventory_id)
 GROUP BY c.name ORDER BY 2 DESC, 1 LIMIT 10
"""
OVERDUE_PER_STORE = """
SELECT 'Store ' || i.store_id, count(*) FROM rental r JOIN inventory i USING (inventory_id)
  JOIN film f USING (film_id)
 WHERE r.return_date IS NULL AND r.rental_date + f.rental_duration * interval '1 day' < now()
 GROUP BY i.store_id ORDER BY i.store_id
"""


def per_store(query: str) -> dict[tuple[str, str], Decimal]:
    """{(label, "Store n"): figure} from a query of (label, store id, figure) rows."""
    return {(label, f"Store {store}"): Decimal(value) for label, store, value in rows(query)}


def drawn(
    series: dashboard.StoreSeries, figures: dict[tuple[str, str], Decimal]
) -> dict[tuple[str, str], Decimal]:
    """The figures a per-store chart holds that SQL has for its labels (zeros where none)."""
    return {
        (label, f"Store {store}"): figures.get((label, f"Store {store}"), Decimal(0))
        for store in series.values
        for label in series.labels
    }


def test_rentals_per_day_cover_all_of_pagilas_days_in_three_queries(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(3):
        daily = dashboard.rentals_per_day()

    assert (daily.labels[0], daily.labels[-1], len(daily.labels)) == (
        "2022-02-05",
        "2022-08-23",
        200,
    )
    shown = {
        (label, f"Store {store}"): Decimal(figures[index])
        for store, figures in daily.values.items()
        for index, label in enumerate(daily.labels)
    }
    assert shown == drawn(daily, per_store(RENTALS_PER_DAY))
    assert sum(shown.values()) == 16044


def test_revenue_per_month_matches_pagilas_sales_by_store_in_three_queries(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(3):
        revenue = dashboard.revenue_per_month()

    assert revenue.labels[-7:] == [f"2022-0{month}" for month in range(1, 8)]
    shown = {
        (label, f"Store {store}"): Decimal(figures[index])
        for store, figures in revenue.values.items()
        for index, label in enumerate(revenue.labels)
    }
    assert shown == drawn(revenue, per_store(REVENUE_PER_MONTH))
    # Pagila's own view: Lethbridge (store 1) and Woodridge (store 2).
    sales = dict(rows("SELECT store, total_sales FROM sales_by_store"))
    assert sum(revenue.values[1]) == sales["Lethbridge,Canada"] == Decimal("33689.74")
    assert sum(revenue.values[2]) == sales["Woodridge,Australia"] == Decimal("33726.77")


def test_the_ten_most_rented_films_and_categories_in_one_query_each(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(1):
        films = dashboard.most_rented_films()
    with django_assert_num_queries(1):
        categories = dashboard.most_rented_categories()

    assert list(zip(films.labels, films.values, strict=True)) == rows(TOP_FILMS)
    assert (films.labels[0], films.values[0]) == ("BUCKET BROTHERHOOD", 34)
    assert list(zip(categories.labels, categories.values, strict=True)) == rows(TOP_CATEGORIES)
    assert (categories.labels[0], categories.values[0]) == ("Sports", 1179)


def test_overdue_copies_per_store_in_two_queries(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):
        overdue = dashboard.overdue_per_store()

    assert list(zip(overdue.labels, overdue.values, strict=True)) == rows(OVERDUE_PER_STORE)
    assert overdue.values == [92, 91]


def test_the_page_draws_every_figure_and_nothing_the_csp_would_block(
    admin_client: Client,
) -> None:
    response = admin_client.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "an inline script"
    bars = {(series, label): value for series, label, value in BAR.findall(html)}
    assert bars[("", "BUCKET BROTHERHOOD")] == "34"
    assert bars[("", "Sports")] == "1179"
    assert bars[("", "Store 2")] == "91"
    assert bars[("Store 1", "2022-03")] == "5479.06"
    assert bars[("Store 2", "2022-02-14")] == str(
        dict(per_store(RENTALS_PER_DAY))[("2022-02-14", "Store 2")]
    )
    assert len(BAR.findall(html)) == 200 * 2 + 12 * 2 + 10 + 10 + 2


def test_the_admin_index_links_to_the_dashboard(admin_client: Client) -> None:
    assert f'href="{DASHBOARD}"' in admin_client.get("/admin/").content.decode()


def test_only_staff_see_the_dashboard(client: Client, clerk: User, customer_user: User) -> None:
    assert client.get(DASHBOARD)["Location"] == f"/admin/login/?next={DASHBOARD}"
    client.force_login(customer_user)
    assert client.get(DASHBOARD).status_code == 302
    client.force_login(clerk)
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.parametrize(
    ("largest", "top"),
    [(0, 1), (1, 1), (7, 10), (34, 50), (92, 100), (680, 1000), (1179, 2000), (5424, 10000)],
)
def test_the_axis_ends_at_a_round_figure_at_or_above_the_largest(largest: int, top: int) -> None:
    assert nice_top(largest) == top
