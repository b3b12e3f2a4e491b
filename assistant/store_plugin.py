"""The staff assistant's store functions: customers, rentals, money and stock, per staff user.

Only the staff endpoint's kernel holds this plugin (assistant.kernel.staff_kernel builds one
per request around a StorePlugin bound to the request's user); the public kernel never does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

import structlog
from django.contrib.auth.models import AbstractUser
from django.db.models import QuerySet
from semantic_kernel.functions import kernel_function

from assistant.database import database_call
from assistant.plugins import clamped, to_json
from films.selectors import films_named_in
from pagila_site.api.errors import DomainError
from rentals import billing, dashboard, selectors
from rentals.models import Rental
from rentals.representation import rental_values

logger = structlog.get_logger("pagila.assistant")

# The plugin's name: the model sees its functions as `store-find_customer` and so on.
PLUGIN_NAME = "store"
# The most customers or rentals one call lists, and the default.
MAX_ROWS = 10
DEFAULT_ROWS = 5
# The longest search text or title accepted (longer ones are refused, not cut).
MAX_TEXT_LENGTH = 200
# The months the store figures cover by default, and at most.
DEFAULT_MONTHS = 6
MAX_MONTHS = 24

# The Django permissions each function needs: whatever names a customer needs view_customer.
FIND_CUSTOMER = ("rentals.view_customer",)
OPEN_RENTALS = ("rentals.view_customer", "rentals.view_rental")
BALANCE = ("rentals.view_customer", "rentals.view_payment")
OVERDUE = ("rentals.view_customer", "rentals.view_rental")
STOCK = ("rentals.view_inventory",)
FIGURES = ("rentals.view_rental", "rentals.view_payment")

# Who asks: a user of Django's auth app (staff, by the endpoint's check).
StaffUser = AbstractUser


def find_customer(text: str, limit: int) -> dict[str, Any]:
    """The customers `text` finds (the first `limit`) and how many it finds."""
    customers = selectors.customer_search(text=text)
    rows = [
        {
            "customer_id": c.customer_id,
            "first_name": c.first_name,
            "last_name": c.last_name,
            "email": c.email,
            "store_id": c.store_id,
            "active": c.is_active,
        }
        for c in customers[:limit]
    ]
    return {"total": _total(customers, rows, limit), "customers": rows}


def _total(rows: QuerySet[Any], shown: list[Any], limit: int) -> int:
    """How many `rows` there are: counted only when the first `limit` did not hold them all."""
    return rows.count() if len(shown) == limit else len(shown)


def _due_row(rental: Rental) -> dict[str, Any]:
    """An open rental as the API shows it, with its due date and what returning it now charges."""
    return rental_values(rental) | {
        "due_date": rental.due_date,  # type: ignore[attr-defined]
        "days_overdue": rental.days_overdue,  # type: ignore[attr-defined]
        "amount_due": rental.amount_due,  # type: ignore[attr-defined]
    }


def customer_open_rentals(customer_id: int) -> dict[str, Any]:
    """The customer's open rentals with what each would cost now; CustomerNotFound."""
    open_rentals = selectors.customer_rental_list(customer_id=customer_id, status="open")
    rentals = billing.with_amounts_due(open_rentals)
    rows = [_due_row(rental) for rental in rentals[:MAX_ROWS]]
    return {"customer_id": customer_id, "total": _total(rentals, rows, MAX_ROWS), "rentals": rows}


def customer_balance(customer_id: int) -> dict[str, Any]:
    """What the customer owes now and its parts (rentals.billing); CustomerNotFound."""
    owed = billing.customer_balance(customer_id=customer_id)
    return {
        "customer_id": customer_id,
        "balance": owed.balance,
        "rental_fees": owed.rental_fees,
        "late_fees": owed.late_fees,
        "payments": owed.payments,
        "as_of": owed.as_of,
        "meaning": "balance = rental_fees + late_fees - payments; below zero is credit",
    }


def overdue_rentals(store_id: int, limit: int) -> dict[str, Any]:
    """The most overdue rentals of one store's copies (0: all stores), and the count per store."""
    rentals = billing.overdue_rental_list(store_id=store_id or None).select_related("customer")
    rows = [_due_row(rental) | {"customer": str(rental.customer)} for rental in rentals[:limit]]
    per_store = dashboard.overdue_per_store()
    return {
        "store_id": store_id or "all",
        "total": _total(rentals, rows, limit),
        "overdue_per_store": dict(zip(per_store.labels, per_store.values, strict=True)),
        "rentals": rows,
    }


def film_stock(title: str) -> dict[str, Any]:
    """The copies per store of the film whose whole title `title` names."""
    film = films_named_in(title).values_list("film_id", "title").first()
    if film is None:
        return {"error": f"no film titled {title!r}; give the whole title, e.g. ACADEMY DINOSAUR"}
    film_id, film_title = film
    stores = [
        {"store_id": s.store_id, "copies": s.copies, "in": s.in_stock, "out": s.copies - s.in_stock}
        for s in selectors.film_stock(film_id=film_id)
    ]
    return {"film_id": film_id, "title": film_title, "stores": stores}


def _month(text: str) -> date:
    """The first day of the month "YYYY-MM" names; ValueError otherwise."""
    return datetime.strptime(text.strip(), "%Y-%m").date()


def store_figures(first_month: str, last_month: str) -> dict[str, Any]:
    """Rentals and revenue per store in each month from `first_month` to `last_month`."""
    try:
        last = _month(last_month) if last_month.strip() else None
        first = _month(first_month) if first_month.strip() else None
    except ValueError:
        return {"error": "months are written YYYY-MM, e.g. 2022-05"}
    last = last or dashboard.latest_month(Rental.objects.all(), "rental_date")
    first = first or dashboard.month_before(last, DEFAULT_MONTHS - 1)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    if not 1 <= span <= MAX_MONTHS:
        return {"error": f"give 1 to {MAX_MONTHS} months, the first not after the last"}
    months = dashboard.months_up_to(last, span)
    rentals = dashboard.rentals_by_month(months)
    revenue = dashboard.revenue_by_month(months)
    return {
        "months": [
            {
                "month": label,
                "stores": [
                    {
                        "store_id": store,
                        "rentals": rentals.values[store][index],
                        "revenue": revenue.values[store][index],
                    }
                    for store in rentals.values
                ],
            }
            for index, label in enumerate(rentals.labels)
        ],
        "meaning": "revenue: payments in the month for the store's copies (UTC months)",
    }


class StorePlugin:
    """Read-only store functions for the staff assistant, bound to one staff user.

    Each checks the user's Django permissions before it reads anything: a user who lacks one
    gets `{"error": "not allowed: ..."}` naming the permission, which the model relays, and
    never the data. Every call and refusal is logged with the user's name. Arguments are
    validated; an unknown customer or a bad argument answers `{"error": ...}` as well.
    """

    def __init__(self, user: StaffUser) -> None:
        self.user = user

    async def _answer(
        self, permissions: tuple[str, ...], read: Callable[..., dict[str, Any]], *args: Any
    ) -> str:
        return to_json(await database_call(self.checked_read)(permissions, read, *args))

    def checked_read(
        self, permissions: tuple[str, ...], read: Callable[..., dict[str, Any]], *args: Any
    ) -> dict[str, Any]:
        """`read(*args)` if the user holds every permission, else the refusal (sync)."""
        name = read.__name__  # the kernel function's name too
        user = self.user.get_username()
        missing = [p for p in permissions if not self.user.has_perm(p)]
        if missing:
            logger.info("staff function refused", user=user, function=name, missing=missing)
            return {
                "error": f"not allowed: {user or 'this user'} lacks the permission "
                f"{' and '.join(missing)}, so this cannot be looked up; an administrator can "
                "grant it in the back office"
            }
        logger.info("staff function called", user=user, function=name, arguments=list(args))
        try:
            return read(*args)
        except DomainError as exc:  # an unknown customer
            return {"error": exc.detail}

    @kernel_function(
        name="find_customer",
        description="Find customers by name or email (every word must match the first name, "
        "last name or email): their customer_id, names, email, store and whether active.",
    )
    async def find_customer(
        self,
        text: Annotated[str, "A name, part of one, or an email, e.g. 'MARY SMITH'"],
        limit: Annotated[int, "How many customers to list, 1 to 10"] = DEFAULT_ROWS,
    ) -> str:
        if not text.strip() or len(text) > MAX_TEXT_LENGTH:
            return to_json({"error": f"give a name or email, at most {MAX_TEXT_LENGTH} characters"})
        limit = clamped(limit, MAX_ROWS)
        return await self._answer(FIND_CUSTOMER, find_customer, text.strip(), limit)

    @kernel_function(
        name="customer_open_rentals",
        description="A customer's rentals still out (newest first, at most 10): the film, the "
        "copy, its store, the due date, days overdue and what returning it now would charge.",
    )
    async def customer_open_rentals(
        self, customer_id: Annotated[int, "The customer's id (find_customer gives it)"]
    ) -> str:
        return await self._answer(OPEN_RENTALS, customer_open_rentals, int(customer_id))

    @kernel_function(
        name="customer_balance",
        description="What a customer owes now, in dollars: balance = rental fees + late fees - "
        "payments (a negative balance is credit).",
    )
    async def customer_balance(
        self, customer_id: Annotated[int, "The customer's id (find_customer gives it)"]
    ) -> str:
        return await self._answer(BALANCE, customer_balance, int(customer_id))

    @kernel_function(
        name="overdue_rentals",
        description="Copies out past their due date, most overdue first, with the customer, "
        "film, days overdue and amount due; with the number overdue at each store.",
    )
    async def overdue_rentals(
        self,
        store_id: Annotated[int, "The store whose copies to list, 1 or 2; 0 for every store"] = 0,
        limit: Annotated[int, "How many rentals to list, 1 to 10"] = MAX_ROWS,
    ) -> str:
        limit = clamped(limit, MAX_ROWS)
        return await self._answer(OVERDUE, overdue_rentals, int(store_id), limit)

    @kernel_function(
        name="film_stock",
        description="A film's copies at each store by its title: how many each store owns, how "
        "many are in (on the shelf) and how many are out (rented).",
    )
    async def film_stock(
        self, title: Annotated[str, "The film's whole title, e.g. ACADEMY DINOSAUR"]
    ) -> str:
        if not title.strip() or len(title) > MAX_TEXT_LENGTH:
            return to_json({"error": f"give a title, at most {MAX_TEXT_LENGTH} characters"})
        return await self._answer(STOCK, film_stock, title)

    @kernel_function(
        name="store_figures",
        description="Rentals taken and revenue (payments, in dollars) per store and month. "
        f"Without months: the {DEFAULT_MONTHS} months up to the latest rental.",
    )
    async def store_figures(
        self,
        first_month: Annotated[str, "The first month, YYYY-MM, e.g. 2022-02"] = "",
        last_month: Annotated[str, f"The last month, YYYY-MM, at most {MAX_MONTHS} in all"] = "",
    ) -> str:
        return await self._answer(FIGURES, store_figures, first_month[:20], last_month[:20])
