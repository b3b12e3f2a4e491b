"""Customers in the back office: search, filters, and their open rentals and subscriptions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from pagila_site.pagila.admin_base import PagilaModelAdmin
from rentals.billing import customer_balance
from rentals.forms import CustomerForm
from rentals.models import Customer
from rentals.selectors import customer_rental_list

# Rows of open rentals / subscriptions shown on a customer's page (newest first).
CUSTOMER_PAGE_ROWS = 20


class ActiveFilter(admin.SimpleListFilter):
    """Pagila's integer `active` flag as active / inactive."""

    title = "active"
    parameter_name = "active"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("1", "active"), ("0", "inactive")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Customer]) -> QuerySet[Customer]:
        value = self.value()
        return queryset.filter(active=int(value)) if value in {"0", "1"} else queryset


def _link(viewname: str, pk: int, text: object) -> SafeString:
    return format_html('<a href="{}">{}</a>', reverse(viewname, args=[pk]), text)


def _table(headers: Iterable[str], rows: list[tuple[Any, ...]], footer: SafeString) -> SafeString:
    """A bounded read-only table for a change page: at most CUSTOMER_PAGE_ROWS rows.

    `rows` may hold one row more than the bound; then the footer link says there are more.
    """
    if not rows:
        return format_html("<p>None.</p>{}", footer)
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (format_html_join("", "<td>{}</td>", ((c,) for c in row)),)
            for row in rows[:CUSTOMER_PAGE_ROWS]
        ),
    )
    more = (
        format_html("<p>Showing the newest {}.</p>", CUSTOMER_PAGE_ROWS)
        if len(rows) > CUSTOMER_PAGE_ROWS
        else ""
    )
    return format_html("<table><tr>{}</tr>{}</table>{}{}", head, body, more, footer)


@admin.register(Customer)
class CustomerAdmin(PagilaModelAdmin):
    """Customers by name and email; the page shows open rentals and streaming subscriptions."""

    form = CustomerForm
    list_display = ("customer_id", "first_name", "last_name", "email", "store", "is_active")
    list_select_related = ("store",)
    list_filter = ("store", ActiveFilter)
    search_fields = ("first_name", "last_name", "email")
    raw_id_fields = ("address",)
    readonly_fields = ("create_date", "last_update", "balance", "open_rentals", "subscriptions")
    ordering = ("customer_id",)
    # 599 rows: one count per page is plenty.
    show_full_result_count = False

    def get_fieldsets(self, request: HttpRequest, obj: Customer | None = None) -> Any:
        fields = ("first_name", "last_name", "email", "store", "address", "active", "activebool")
        if obj is None:
            return [(None, {"fields": fields})]
        return [
            (None, {"fields": (*fields, "create_date", "last_update")}),
            ("Activity", {"fields": ("balance", "open_rentals", "subscriptions")}),
        ]

    @admin.display(description="active", boolean=True)
    def is_active(self, customer: Customer) -> bool:
        return customer.is_active

    @admin.display(description="balance")
    def balance(self, customer: Customer) -> SafeString:
        """What the customer owes now: the API's and get_customer_balance()'s figure."""
        figures = customer_balance(customer_id=customer.pk)
        return format_html(
            "<strong>${}</strong> = rental fees ${} + late fees ${} &minus; payments ${} "
            '(as of {} UTC) · <a href="{}?customer__exact={}">Payments</a>',
            figures.balance,
            figures.rental_fees,
            figures.late_fees,
            figures.payments,
            f"{figures.as_of:%Y-%m-%d %H:%M}",
            reverse("admin:rentals_payment_changelist"),
            customer.pk,
        )

    @admin.display(description="open rentals (newest first)")
    def open_rentals(self, customer: Customer) -> SafeString:
        rentals = customer_rental_list(customer_id=customer.pk, status="open")
        rows = [
            (
                _link("admin:rentals_rental_change", rental.pk, rental.pk),
                rental.rental_date,
                rental.inventory.film.title,
                rental.inventory_id,
            )
            for rental in rentals[: CUSTOMER_PAGE_ROWS + 1]
        ]
        url = reverse("admin:rentals_rental_changelist")
        footer = format_html(
            '<p><a href="{}?customer__exact={}&amp;status=open">All open rentals</a></p>',
            url,
            customer.pk,
        )
        return _table(("rental", "rented", "film", "copy"), rows, footer)

    @admin.display(description="streaming subscriptions (newest first)")
    def subscriptions(self, customer: Customer) -> SafeString:
        plans = customer.streaming_subscriptions.order_by("-start_date", "-id")
        rows = [
            (
                _link("admin:rentals_streamingsubscription_change", plan.pk, plan.plan_name),
                plan.start_date,
                plan.end_date or "open-ended",
            )
            for plan in plans[: CUSTOMER_PAGE_ROWS + 1]
        ]
        footer = format_html(
            '<p><a href="{}?customer__exact={}">All subscriptions</a> · '
            '<a href="{}?customer={}">Add a subscription</a></p>',
            reverse("admin:rentals_streamingsubscription_changelist"),
            customer.pk,
            reverse("admin:rentals_streamingsubscription_add"),
            customer.pk,
        )
        return _table(("plan", "start", "end"), rows, footer)
