"""The staff dashboard's figures: one selector per chart, each three queries at most."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Count, F, Max, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from films.models import Category, Film
from rentals.billing import overdue_rental_list
from rentals.models import Payment, Rental, Store

# Days the rentals-per-day chart shows, ending on the day of the latest rental: 200 hold all of
# Pagila's (2022-02-14 to 2022-08-23).
DAYS_SHOWN = 200
# Months the revenue chart shows, ending with the month of the latest payment.
MONTHS_SHOWN = 12
# Bars of the most rented films and categories.
TOP_SHOWN = 10


# A count of rentals or copies, or an amount of dollars.
Figure = int | Decimal


@dataclass(frozen=True)
class StoreSeries:
    """One figure per label (a day, a month) for each store, by store id."""

    labels: list[str]
    values: dict[int, list[Figure]]


@dataclass(frozen=True)
class Bars:
    """Labelled figures, in the order a chart shows them."""

    labels: list[str]
    values: list[Figure]


def utc_midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC)


def store_ids() -> list[int]:
    return list(Store.objects.order_by("store_id").values_list("store_id", flat=True))


def rentals_per_day(days: int = DAYS_SHOWN) -> StoreSeries:
    """Rentals of each store's copies per day (UTC), over `days` days up to the latest rental."""
    latest = Rental.objects.aggregate(latest=Max("rental_date"))["latest"]
    last_day = (latest or datetime.now(UTC)).astimezone(UTC).date()
    first_day = last_day - timedelta(days=days - 1)
    counts = (
        Rental.objects.filter(rental_date__gte=utc_midnight(first_day))
        .annotate(day=TruncDate("rental_date", tzinfo=UTC), store=F("inventory__store_id"))
        .values_list("day", "store")
        .annotate(rentals=Count("pk"))
    )
    per_day = {(day, store): rentals for day, store, rentals in counts}
    all_days = [first_day + timedelta(days=offset) for offset in range(days)]
    return StoreSeries(
        labels=[f"{day:%Y-%m-%d}" for day in all_days],
        values={store: [per_day.get((day, store), 0) for day in all_days] for store in store_ids()},
    )


def latest_month(rows: QuerySet[Any], field: str) -> date:
    """The first day of the month (UTC) of the latest `field` among `rows` (this month if none)."""
    latest = rows.aggregate(latest=Max(field))["latest"]
    return (latest or datetime.now(UTC)).astimezone(UTC).date().replace(day=1)


def months_up_to(last: date, months: int) -> list[date]:
    """The first days of the `months` months ending with `last`'s, oldest first."""
    return [month_before(last, back) for back in reversed(range(months))]


def revenue_per_month(months: int = MONTHS_SHOWN) -> StoreSeries:
    """Payments per month (UTC) for each store's copies, over `months` months up to the latest."""
    last = latest_month(Payment.objects.all(), "payment_date")
    return revenue_by_month(months_up_to(last, months))


def revenue_by_month(months: list[date]) -> StoreSeries:
    """Payments in each of `months` (their first days, UTC) for each store's copies: 2 queries.

    A payment's store is its rented copy's, as in Pagila's `sales_by_store` view.
    """
    payments = Payment.objects.all()
    store = F("rental__inventory__store_id")
    return _per_store_month(
        payments, "payment_date", store, Sum("amount"), zero=Decimal(0), months=months
    )


def rentals_by_month(months: list[date]) -> StoreSeries:
    """Rentals in each of `months` (their first days, UTC) of each store's copies: 2 queries."""
    rentals = Rental.objects.all()
    store = F("inventory__store_id")
    return _per_store_month(rentals, "rental_date", store, Count("pk"), zero=0, months=months)


def _per_store_month(
    rows: QuerySet[Any],
    field: str,
    store_of: F,
    figure: Aggregate,
    *,
    zero: Figure,
    months: list[date],
) -> StoreSeries:
    """`figure` over the `rows` whose `field` falls in each of `months`, per store (`store_of`)."""
    start, end = utc_midnight(months[0]), utc_midnight(month_before(months[-1], -1))
    sums = (
        rows.filter(**{f"{field}__gte": start, f"{field}__lt": end})
        .annotate(month=TruncMonth(field, tzinfo=UTC), store=store_of)
        .values_list("month", "store")
        .annotate(figure=figure)
    )
    per_month = {(month.date(), store): value for month, store, value in sums}
    return StoreSeries(
        labels=[f"{month:%Y-%m}" for month in months],
        values={
            store: [per_month.get((month, store), zero) for month in months]
            for store in store_ids()
        },
    )


def month_before(month: date, back: int) -> date:
    """The first day of the month `back` months before `month`'s (after it, when negative)."""
    year, index = divmod(month.year * 12 + month.month - 1 - back, 12)
    return date(year, index + 1, 1)


def most_rented_films(limit: int = TOP_SHOWN) -> Bars:
    """The films rented most often, most first (title breaks ties), in one query."""
    return most_rented(Film.objects.all(), "title", "inventory__rentals", limit)


def most_rented_categories(limit: int = TOP_SHOWN) -> Bars:
    """The categories whose films were rented most often, most first (name breaks ties)."""
    return most_rented(Category.objects.all(), "name", "films__inventory__rentals", limit)


def most_rented(rows: QuerySet[Any], label: str, rentals: str, limit: int) -> Bars:
    """The `limit` rows with the most `rentals` (a path to the rentals), labelled by `label`."""
    ranked = list(
        rows.annotate(rentals=Count(rentals))
        .order_by("-rentals", label)
        .values_list(label, "rentals")[:limit]
    )
    return Bars(labels=[name for name, _ in ranked], values=[count for _, count in ranked])


def overdue_per_store() -> Bars:
    """Copies overdue now at each store (rentals.billing's overdue rule), in two queries."""
    overdue = dict(
        overdue_rental_list()
        .order_by()
        .values_list("inventory__store_id")
        .annotate(copies=Count("pk"))
        .values_list("inventory__store_id", "copies")
    )
    stores = store_ids()
    return Bars(
        labels=[f"Store {store}" for store in stores],
        values=[overdue.get(store, 0) for store in stores],
    )
