"""Reads about money: a customer's balance and payments, and the rentals that are overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone

from pagila_site.pagila.fields import is_pg_int_id
from rentals.charges import DaysLate, DueDate, amount_due
from rentals.errors import CustomerNotFound
from rentals.models import Payment, Rental
from rentals.selectors import check_customer_exists, rental_queryset

BALANCE_SQL = (
    "SELECT b.rental_fees, b.late_fees, b.payments, b.balance FROM customer c "
    "CROSS JOIN LATERAL pagila_customer_balance(c.customer_id, %s) b WHERE c.customer_id = %s"
)


@dataclass(frozen=True)
class Balance:
    """What a customer owes at `as_of`: `rental_fees` + `late_fees` - `payments`."""

    customer_id: int
    as_of: datetime
    rental_fees: Decimal
    late_fees: Decimal
    payments: Decimal
    balance: Decimal


def customer_balance(*, customer_id: int, as_of: datetime | None = None) -> Balance:
    """The customer's balance at `as_of` (now by default), in one query; CustomerNotFound.

    PostgreSQL's pagila_customer_balance() computes it (rentals migration 0006), the function
    behind get_customer_balance() too: the charges of the rentals taken by `as_of`, each kept
    until its return or `as_of` if that came first, minus the payments made by `as_of`.
    """
    as_of = as_of or timezone.now()
    row = None
    if is_pg_int_id(customer_id):
        with connection.cursor() as cursor:
            cursor.execute(BALANCE_SQL, [as_of, customer_id])
            row = cursor.fetchone()
    if row is None:
        raise CustomerNotFound(customer_id)
    return Balance(customer_id, as_of, *row)


def customer_payment_list(*, customer_id: int) -> QuerySet[Payment]:
    """The customer's payments, newest first; CustomerNotFound when there is no such customer."""
    check_customer_exists(customer_id)
    return Payment.objects.filter(customer_id=customer_id).order_by("-payment_date", "-payment_id")


def with_amounts_due(rentals: QuerySet[Rental]) -> QuerySet[Rental]:
    """The rentals with `due_date`, and as of now `days_overdue` (whole days past due) and
    `amount_due` (what returning the copy now would charge); meaningful for open rentals.
    """
    now = Now()
    return rentals.annotate(
        due_date=DueDate(), days_overdue=DaysLate(now), amount_due=amount_due(now)
    )


def only_overdue(rentals: QuerySet[Rental]) -> QuerySet[Rental]:
    """Of rentals annotated by with_amounts_due, the open ones past their due date."""
    return rentals.filter(Q(due_date__lt=Now()), return_date__isnull=True)


def overdue_rental_list(
    *, store_id: int | None = None, customer_id: int | None = None
) -> QuerySet[Rental]:
    """Open rentals past their due date, most overdue first, with `due_date`, `days_overdue` and
    `amount_due` (what returning the copy now would charge), optionally of one store's copies or
    one customer. A filter that names nothing finds nothing.
    """
    rentals = only_overdue(with_amounts_due(rental_queryset()))
    if store_id is not None:
        rentals = rentals.filter(inventory__store_id=store_id)
    if customer_id is not None:
        rentals = rentals.filter(customer_id=customer_id)
    return rentals.order_by("due_date", "rental_id")
