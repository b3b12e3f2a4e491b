"""The store's money in the back office: the payments list, the overdue rentals, the balance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client

from rentals.admin.payments import PaymentMonthFilter
from rentals.billing import customer_balance
from rentals.models import Payment
from rentals.services import rental_return
from tests.admin_pages import changelist

pytestmark = pytest.mark.django_db

PAYMENTS = "/admin/rentals/payment/"
RENTALS = "/admin/rentals/rental/"
STORE = "rental__inventory__store__store_id__exact"


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 16049),
        ({"month": "2022-03"}, 2713),
        ({"month": "2022-01"}, 723),
        ({"month": "2022-08"}, 0),
        ({STORE: "1"}, 7928),
        ({STORE: "2"}, 8121),
        ({STORE: "1", "month": "2022-03"}, 1294),
        ({"q": "TAMMY SANDERS"}, 41),
        ({"q": "MARY.SMITH@sakilacustomer.org"}, 32),
        ({"customer__exact": "155"}, 25),
    ],
)
def test_payments_filter_by_store_and_month_and_search_by_customer(
    admin_client: Client, params: dict[str, str], count: int
) -> None:
    assert changelist(admin_client, PAYMENTS, **params).result_count == count


def test_the_month_filter_offers_the_months_with_payments_newest_first(
    admin_client: Client,
) -> None:
    cl = changelist(admin_client, PAYMENTS)
    (months,) = [f for f in cl.filter_specs if isinstance(f, PaymentMonthFilter)]

    assert [title for _, title in months.lookup_choices] == [
        "July 2022",
        "June 2022",
        "May 2022",
        "April 2022",
        "March 2022",
        "February 2022",
        "January 2022",
    ]


def test_a_return_shows_up_under_this_month(admin_client: Client) -> None:
    returned = rental_return(rental_id=11496)
    month = f"{returned.payment.payment_date:%Y-%m}"

    cl = changelist(admin_client, PAYMENTS, month=month)

    assert [p.payment_id for p in cl.result_list] == [returned.payment.payment_id]
    page = admin_client.get(PAYMENTS, {"month": month}).content.decode()
    assert "14.98" in page
    assert "Store 1" in page


def test_a_month_that_is_no_month_is_refused_as_the_admin_refuses_bad_lookups(
    admin_client: Client,
) -> None:
    response = admin_client.get(PAYMENTS, {"month": "2022-13"})

    assert (response.status_code, response["Location"]) == (302, f"{PAYMENTS}?e=1")


def test_payments_are_read_only(admin_client: Client) -> None:
    page = admin_client.get(PAYMENTS).content.decode()
    assert f'href="{PAYMENTS}add/"' not in page
    assert admin_client.get(f"{PAYMENTS}add/").status_code == 403

    detail = admin_client.get(f"{PAYMENTS}18496/change/")
    assert detail.status_code == 200
    assert 'name="amount"' not in detail.content.decode()
    assert admin_client.post(f"{PAYMENTS}18496/change/", {"amount": "0"}).status_code == 403
    assert Payment.objects.get(payment_id=18496).amount == Decimal("0.99")


def test_a_clerk_without_the_view_permission_sees_no_payments(client: Client, clerk: User) -> None:
    client.force_login(clerk)
    assert client.get(PAYMENTS).status_code == 403

    clerk.user_permissions.add(Permission.objects.get(codename="view_payment"))
    assert client.get(PAYMENTS).status_code == 200


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"status": "overdue"}, 183),
        ({"status": "overdue", "inventory__store__store_id__exact": "2"}, 91),
        ({"status": "overdue", "customer__exact": "75"}, 3),
    ],
)
def test_the_overdue_filter_finds_the_open_rentals_past_due(
    admin_client: Client, params: dict[str, str], count: int
) -> None:
    assert changelist(admin_client, RENTALS, **params).result_count == count


def test_overdue_rentals_show_days_overdue_and_amount_due(admin_client: Client) -> None:
    cl = changelist(admin_client, RENTALS, status="overdue", customer__exact="155")
    page = admin_client.get(RENTALS, {"status": "overdue", "customer__exact": "155"})
    html = page.content.decode()

    hyde_doctor = next(r for r in cl.result_list if r.pk == 11496)
    assert hyde_doctor.days_overdue > 1300
    assert "Days overdue" in html and "Amount due" in html
    assert f'<td class="field-days_overdue">{hyde_doctor.days_overdue}</td>' in html
    assert '<td class="field-amount_due">$14.98</td>' in html  # $2.99 + $11.99 replacement
    returned = admin_client.get(RENTALS, {"customer__exact": "1"}).content.decode()
    assert '<td class="field-amount_due">-</td>' in returned


def test_the_customer_page_shows_the_balance_the_api_and_the_database_give(
    admin_client: Client,
) -> None:
    balance = customer_balance(customer_id=155)
    with connection.cursor() as cursor:
        cursor.execute("SELECT get_customer_balance(155, now())")
        in_database = cursor.fetchone()[0]

    page = admin_client.get("/admin/rentals/customer/155/change/").content.decode()

    assert balance.balance == in_database
    assert (
        f"<strong>${balance.balance}</strong> = rental fees ${balance.rental_fees} + late fees "
        f"${balance.late_fees} &minus; payments ${balance.payments}"
    ) in page
    assert "<strong>$27.98</strong>" in page
    assert f'href="{PAYMENTS}?customer__exact=155"' in page
