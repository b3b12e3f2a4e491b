"""Rentals in the back office: created and returned only through the API's services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from pagila_site.api.errors import DomainError
from pagila_site.pagila.admin_base import PagilaModelAdmin
from rentals.billing import only_overdue, with_amounts_due
from rentals.forms import RentalCreateForm
from rentals.models import Rental, RentalQuerySet
from rentals.services import rental_return

# What a rental's row and page show besides its own columns, fetched in the same query.
SHOWN_RELATIONS = ("customer", "inventory__film", "inventory__store")


class RentalStatusFilter(admin.SimpleListFilter):
    """Open rentals (copy still out), the open ones past due, or returned ones."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("open", "open"), ("overdue", "overdue"), ("returned", "returned")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Rental]) -> QuerySet[Rental]:
        if self.value() == "open":
            return cast(RentalQuerySet, queryset).open()
        if self.value() == "overdue":
            return only_overdue(queryset)
        if self.value() == "returned":
            return queryset.filter(return_date__isnull=False)
        return queryset


@admin.register(Rental)
class RentalAdmin(PagilaModelAdmin):
    """The 16,044 rentals.

    A rental is never edited by hand: the add form calls `rental_create` and the "mark returned"
    action calls `rental_return`, the same services and checks as the API. The change page is
    read-only.
    """

    list_display = (
        "rental_id",
        "rental_date",
        "customer",
        "film",
        "store",
        "return_date",
        "is_open",
        "days_overdue",
        "amount_due",
    )
    list_select_related = SHOWN_RELATIONS
    list_filter = (RentalStatusFilter, ("inventory__store", admin.RelatedFieldListFilter))
    search_fields = (
        "customer__first_name",
        "customer__last_name",
        "customer__email",
        "inventory__film__title",
    )
    date_hierarchy = "rental_date"
    ordering = ("-rental_date", "-rental_id")
    actions = ("mark_returned",)
    autocomplete_fields = ("customer",)
    raw_id_fields = ("inventory",)
    readonly_fields = ("film", "last_update")
    # 16k rows: the paginator counts the filtered rows once; no second, unfiltered count.
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Rental]:
        related = super().get_queryset(request).select_related(*SHOWN_RELATIONS)
        rentals: QuerySet[Rental] = related.defer(
            "inventory__film__description", "inventory__film__fulltext"
        )
        return with_amounts_due(rentals)

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        if obj is None:
            kwargs["form"] = RentalCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        if obj is None:
            return ("customer", "inventory", "staff")
        return (
            "customer",
            "inventory",
            "film",
            "staff",
            "rental_date",
            "return_date",
            "last_update",
        )

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_mark_returned_permission(self, request: HttpRequest) -> bool:
        return super().has_change_permission(request)

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        """Nothing to do: RentalCreateForm's call to `rental_create` already wrote the rental."""

    @admin.display(description="film", ordering="inventory__film__title")
    def film(self, rental: Rental) -> str:
        return rental.inventory.film.title

    @admin.display(description="store")
    def store(self, rental: Rental) -> str:
        return str(rental.inventory.store)

    @admin.display(description="open", boolean=True)
    def is_open(self, rental: Rental) -> bool:
        return rental.return_date is None

    @admin.display(description="days overdue", ordering="due_date")
    def days_overdue(self, rental: Rental) -> int | None:
        """Whole days past due, for a copy still out (0 until a whole day has passed)."""
        return getattr(rental, "days_overdue", None) if rental.return_date is None else None

    @admin.display(description="amount due")
    def amount_due(self, rental: Rental) -> str | None:
        """What returning the copy now would charge, for a copy still out."""
        amount = getattr(rental, "amount_due", None)
        return f"${amount}" if amount is not None and rental.return_date is None else None

    @admin.action(description="Mark selected rentals returned", permissions=["mark_returned"])
    def mark_returned(self, request: HttpRequest, queryset: QuerySet[Rental]) -> None:
        """Each through `rental_return`, which records its payment; the message names each."""
        paid: list[str] = []
        for rental_id in queryset.values_list("pk", flat=True):
            try:
                returned = rental_return(rental_id=rental_id)
            except DomainError as exc:
                self.message_user(request, exc.detail, messages.ERROR)
            else:
                paid.append(f"${returned.payment.amount} for rental {rental_id}")
        if paid:
            self.message_user(
                request,
                f"{len(paid)} rental(s) marked returned; payments recorded: {', '.join(paid)}.",
                messages.SUCCESS,
            )
