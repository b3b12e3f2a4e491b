"""Payments in the back office: read-only, by customer, store and month."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import QuerySet
from django.http import HttpRequest

from pagila_site.pagila.admin_base import BrowseOnlyAdmin
from rentals.models import Payment


def month_bounds(value: str) -> tuple[datetime, datetime]:
    """`YYYY-MM` as the UTC instants its month starts and the next one starts (the partition's)."""
    try:
        start = datetime.strptime(value, "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        raise IncorrectLookupParameters(f"Not a month: {value!r}") from None
    year, month = divmod(start.month, 12)
    return start, start.replace(year=start.year + year, month=month + 1)


class PaymentMonthFilter(admin.SimpleListFilter):
    """The months that have payments (UTC), newest first: one partition each."""

    title = "month"
    parameter_name = "month"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        months = Payment.objects.dates("payment_date", "month", order="DESC")
        return [(f"{month:%Y-%m}", f"{month:%B %Y}") for month in months]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Payment]) -> QuerySet[Payment]:
        value = self.value()
        if not value:
            return queryset
        start, end = month_bounds(value)
        return queryset.filter(payment_date__gte=start, payment_date__lt=end)


@admin.register(Payment)
class PaymentAdmin(BrowseOnlyAdmin):
    """The payments, read-only: returns record them (`rental_return`), nothing else writes here.

    A payment's store is its rented copy's, as in Pagila's `sales_by_store` view.
    """

    list_display = (
        "payment_id",
        "payment_date",
        "customer",
        "amount",
        "rental",
        "staff",
        "store",
    )
    list_select_related = ("customer", "staff", "rental__inventory__store")
    list_filter = (("rental__inventory__store", admin.RelatedFieldListFilter), PaymentMonthFilter)
    search_fields = ("customer__first_name", "customer__last_name", "customer__email")
    ordering = ("-payment_date", "-payment_id")
    fields = ("payment_id", "payment_date", "customer", "amount", "rental", "staff")
    # 16k rows: the paginator counts the filtered rows once; no second, unfiltered count.
    show_full_result_count = False

    @admin.display(description="store", ordering="rental__inventory__store")
    def store(self, payment: Payment) -> str:
        return str(payment.rental.inventory.store)
