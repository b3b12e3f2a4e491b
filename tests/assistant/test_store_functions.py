"""The staff assistant's store functions on real Pagila data, called through the staff kernel as
the model calls them, and each one's permission check: a refusal naming the permission, no data.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import Permission, User
from django.db import connection

from assistant.kernel import get_kernel, staff_kernel
from assistant.store_plugin import MAX_ROWS
from tests.ai_client import CATALOGUE_FUNCTIONS, STORE_FUNCTIONS
from tests.baker_recipes import superuser
from tests.log_events import structlog_events
from tests.pagila_facts import ACADEMY_DINOSAUR, ACTIVE_CUSTOMER, TAMMY_SANDERS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline")]

MARY_SMITH_EMAIL = "MARY.SMITH@sakilacustomer.org"
# Each function with arguments that find something, and the permissions it needs.
CALLS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "find_customer": ({"text": "MARY SMITH"}, ["view_customer"]),
    "customer_open_rentals": ({"customer_id": TAMMY_SANDERS}, ["view_customer", "view_rental"]),
    "customer_balance": ({"customer_id": ACTIVE_CUSTOMER}, ["view_customer", "view_payment"]),
    "overdue_rentals": ({"store_id": 1}, ["view_customer", "view_rental"]),
    "film_stock": ({"title": "ACADEMY DINOSAUR"}, ["view_inventory"]),
    "store_figures": ({}, ["view_rental", "view_payment"]),
}
# The amount due and days overdue of an open rental now, by the store's rule in PostgreSQL.
DUE_NOW = """
SELECT r.rental_id, f.title, r.inventory_id, i.store_id,
       pagila_days_late(r.rental_date, now(), f.rental_duration),
       f.rental_rate + pagila_late_fee(r.rental_date, now(), f.rental_duration, f.replacement_cost)
  FROM rental r JOIN inventory i USING (inventory_id) JOIN film f USING (film_id)
 WHERE r.return_date IS NULL
"""


def rows(query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def call(user: User, function: str, **arguments: Any) -> dict[str, Any]:
    """What the store function told the model: invoked through a staff kernel bound to `user`."""

    async def run() -> str:
        kernel = staff_kernel(get_kernel(), user).kernel
        result = await kernel.invoke(plugin_name="store", function_name=function, **arguments)
        return str(result)

    return json.loads(async_to_sync(run)())


def due_facts(told: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rentals told, as the columns of DUE_NOW."""
    return [
        (
            r["rental_id"],
            r["film"]["title"],
            r["inventory_id"],
            r["store_id"],
            r["days_overdue"],
            Decimal(r["amount_due"]),
        )
        for r in told["rentals"]
    ]


def granted(user: User, *codenames: str) -> User:
    """The user, given these rentals permissions, fresh from the database (no permission cache)."""
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="rentals", codename__in=codenames)
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def manager() -> User:
    return superuser.make(username="manager")


def test_the_staff_kernel_holds_the_catalogue_and_the_store_functions(manager: User) -> None:
    async def plugins() -> dict[str, set[str]]:
        kernel = staff_kernel(get_kernel(), manager).kernel
        return {name: set(plugin.functions) for name, plugin in kernel.plugins.items()}

    assert async_to_sync(plugins)() == {"films": CATALOGUE_FUNCTIONS, "store": STORE_FUNCTIONS}


@pytest.mark.parametrize("text", ["MARY SMITH", "mary smith", MARY_SMITH_EMAIL.lower()])
def test_find_customer_by_name_or_email(manager: User, text: str) -> None:
    assert call(manager, "find_customer", text=text) == {
        "total": 1,
        "customers": [
            {
                "customer_id": ACTIVE_CUSTOMER,
                "first_name": "MARY",
                "last_name": "SMITH",
                "email": MARY_SMITH_EMAIL,
                "store_id": 1,
                "active": True,
            }
        ],
    }


def test_find_customer_lists_a_few_and_counts_them_all(manager: User) -> None:
    (expected,) = rows(
        "SELECT count(*) FROM customer WHERE first_name ILIKE '%ann%' "
        "OR last_name ILIKE '%ann%' OR email ILIKE '%ann%'"
    )
    found = call(manager, "find_customer", text="ann", limit=3)
    assert found["total"] == expected[0] > 3
    assert [c["customer_id"] for c in found["customers"]] == [
        pk
        for (pk,) in rows(
            "SELECT customer_id FROM customer WHERE email ILIKE '%ann%' "
            "OR first_name ILIKE '%ann%' OR last_name ILIKE '%ann%' "
            "ORDER BY customer_id LIMIT 3"
        )
    ]


def test_customer_open_rentals_with_what_each_costs_now(manager: User) -> None:
    told = call(manager, "customer_open_rentals", customer_id=TAMMY_SANDERS)
    expected = rows(
        DUE_NOW + " AND r.customer_id = %s ORDER BY r.rental_date DESC, r.rental_id DESC",
        [TAMMY_SANDERS],
    )
    assert told["total"] == len(expected) == 3
    assert due_facts(told) == expected
    assert call(manager, "customer_open_rentals", customer_id=ACTIVE_CUSTOMER) == {
        "customer_id": ACTIVE_CUSTOMER,
        "total": 0,
        "rentals": [],
    }


def test_customer_balance_is_the_databases(manager: User) -> None:
    told = call(manager, "customer_balance", customer_id=ACTIVE_CUSTOMER)
    ((balance,),) = rows("SELECT get_customer_balance(%s, now())", [ACTIVE_CUSTOMER])
    assert Decimal(told["balance"]) == balance == Decimal("-4.00")  # MARY SMITH is in credit
    parts = (told["rental_fees"], told["late_fees"], told["payments"])
    assert parts == ("93.68", "21.00", "118.68")


def test_unknown_customers_are_an_error_the_model_can_read(manager: User) -> None:
    for function in ("customer_balance", "customer_open_rentals"):
        assert call(manager, function, customer_id=99999) == {
            "error": "Customer 99999 does not exist."
        }


def test_overdue_rentals_at_a_store_most_overdue_first(manager: User) -> None:
    told = call(manager, "overdue_rentals", store_id=1)
    overdue = DUE_NOW + (
        " AND r.rental_date + f.rental_duration * interval '1 day' < now() AND i.store_id = %s"
        " ORDER BY r.rental_date + f.rental_duration * interval '1 day', r.rental_id"
    )
    expected = rows(overdue, [1])
    assert told["total"] == len(expected) == 92
    assert told["overdue_per_store"] == {"Store 1": 92, "Store 2": 91}
    assert len(told["rentals"]) == MAX_ROWS
    assert due_facts(told) == expected[:MAX_ROWS]
    customers = dict(rows("SELECT customer_id, first_name || ' ' || last_name FROM customer"))
    assert all(r["customer"] == customers[r["customer_id"]] for r in told["rentals"])
    assert call(manager, "overdue_rentals", limit=2)["total"] == 183  # every store's


def test_film_stock_by_title_per_store(manager: User) -> None:
    told = call(manager, "film_stock", title="academy dinosaur")
    in_stock = rows(
        "SELECT store_id, count(*), count(*) FILTER (WHERE inventory_in_stock(inventory_id)) "
        "FROM inventory WHERE film_id = %s GROUP BY store_id ORDER BY store_id",
        [ACADEMY_DINOSAUR],
    )
    assert in_stock == [(1, 4, 4), (2, 4, 3)]
    assert told == {
        "film_id": ACADEMY_DINOSAUR,
        "title": "ACADEMY DINOSAUR",
        "stores": [
            {"store_id": 1, "copies": 4, "in": 4, "out": 0},
            {"store_id": 2, "copies": 4, "in": 3, "out": 1},
        ],
    }
    assert "error" in call(manager, "film_stock", title="NO SUCH FILM")


def test_store_figures_per_store_and_month(manager: User) -> None:
    told = call(manager, "store_figures", first_month="2022-02", last_month="2022-07")
    rentals = rows(
        "SELECT to_char(r.rental_date AT TIME ZONE 'UTC', 'YYYY-MM'), i.store_id, count(*) "
        "FROM rental r JOIN inventory i USING (inventory_id) GROUP BY 1, 2"
    )
    revenue = rows(
        "SELECT to_char(p.payment_date AT TIME ZONE 'UTC', 'YYYY-MM'), i.store_id, sum(p.amount) "
        "FROM payment p JOIN rental r USING (rental_id) JOIN inventory i USING (inventory_id) "
        "GROUP BY 1, 2"
    )
    counted = {(month, store): n for month, store, n in rentals}
    paid = {(month, store): amount for month, store, amount in revenue}
    shown = [
        (month["month"], s["store_id"], s["rentals"], Decimal(s["revenue"]))
        for month in told["months"]
        for s in month["stores"]
    ]
    assert shown == [
        (
            f"2022-0{m}",
            store,
            counted.get((f"2022-0{m}", store), 0),
            paid.get((f"2022-0{m}", store), Decimal(0)),
        )
        for m in range(2, 8)
        for store in (1, 2)
    ]
    assert shown[2] == ("2022-03", 1, 0, Decimal("5479.06"))  # the dashboard's March, store 1
    default = call(manager, "store_figures")
    assert [m["month"] for m in default["months"]] == [f"2022-0{m}" for m in range(3, 9)]
    assert call(manager, "store_figures", first_month="May") == {
        "error": "months are written YYYY-MM, e.g. 2022-05"
    }
    assert "error" in call(manager, "store_figures", first_month="2020-01", last_month="2022-08")


@pytest.mark.parametrize("function", sorted(CALLS))
def test_staff_without_the_permissions_are_refused_without_data(
    clerk: User, function: str, caplog: pytest.LogCaptureFixture
) -> None:
    arguments, needed = CALLS[function]
    told = call(clerk, function, **arguments)
    assert list(told) == ["error"]
    assert told["error"].startswith("not allowed: clerk lacks the permission rentals.")
    assert all(f"rentals.{codename}" in told["error"] for codename in needed)
    (refusal,) = structlog_events(caplog, event="staff function refused")
    assert refusal["user"] == "clerk" and refusal["function"] == function


@pytest.mark.parametrize("function", sorted(CALLS))
def test_the_functions_permissions_are_enough(clerk: User, function: str) -> None:
    arguments, needed = CALLS[function]
    one_short = granted(clerk, *needed[:-1])
    assert list(call(one_short, function, **arguments)) == ["error"]
    told = call(granted(clerk, needed[-1]), function, **arguments)
    assert "error" not in told


def test_view_customer_alone_finds_customers_but_not_what_they_owe(clerk: User) -> None:
    clerk = granted(clerk, "view_customer")
    assert call(clerk, "find_customer", text="MARY SMITH")["total"] == 1
    told = call(clerk, "customer_balance", customer_id=ACTIVE_CUSTOMER)
    assert told == {
        "error": "not allowed: clerk lacks the permission rentals.view_payment, so this cannot "
        "be looked up; an administrator can grant it in the back office"
    }


def test_every_call_is_logged_with_the_user(
    manager: User, caplog: pytest.LogCaptureFixture
) -> None:
    call(manager, "customer_balance", customer_id=ACTIVE_CUSTOMER)
    (event,) = structlog_events(caplog, event="staff function called")
    assert (event["user"], event["function"], event["arguments"]) == (
        "manager",
        "customer_balance",
        [ACTIVE_CUSTOMER],
    )
