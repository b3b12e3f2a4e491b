"""Back-office forms for customers, rentals and streaming subscriptions."""

from __future__ import annotations

from typing import Any

from django import forms

from pagila_site.api.errors import DomainError
from rentals.models import Customer, Rental, StreamingSubscription
from rentals.services import rental_create


class CustomerForm(forms.ModelForm):
    """A customer; Pagila's integer `active` flag is chosen as active / inactive."""

    active = forms.TypedChoiceField(
        choices=[(1, "active"), (0, "inactive")],
        coerce=int,
        initial=1,
        help_text="Inactive customers cannot rent.",
    )

    class Meta:
        model = Customer
        fields = ("first_name", "last_name", "email", "store", "address", "active", "activebool")


class RentalCreateForm(forms.ModelForm):
    """Rent a copy out through `rental_create`, the API's service, with the API's checks.

    The service is the validator: when the fields are valid, `clean()` calls it, so the rental
    exists once the form is valid and `instance` is that rental. A refusal (copy out, inactive
    customer, ...) becomes a form error and nothing is written (the service's call runs in a
    savepoint of the admin's transaction).
    """

    class Meta:
        model = Rental
        fields = ("customer", "inventory", "staff")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        try:
            self.instance = rental_create(
                customer_id=cleaned["customer"].pk,
                inventory_id=cleaned["inventory"].pk,
                staff_id=cleaned["staff"].pk,
            )
        except DomainError as exc:
            field = exc.field.removesuffix("_id") if exc.field else None
            self.add_error(field if field in self.fields else None, exc.detail)
        return cleaned


class StreamingSubscriptionForm(forms.ModelForm):
    """A streaming plan; an end date before the start date is a form error, not a DB error."""

    class Meta:
        model = StreamingSubscription
        fields = ("customer", "plan_name", "start_date", "end_date")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        return cleaned
