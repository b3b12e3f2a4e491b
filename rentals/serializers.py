"""Rental request and response shapes for the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from pagila_site.api.pagination import QueryIntegerField
from pagila_site.api.parsers import NOT_PLAIN, StrictBodySerializer
from pagila_site.pagila.fields import PG_INT_MAX
from rentals.models import Rental
from rentals.representation import RENTAL_FIELDS


class StrictIdField(serializers.IntegerField):
    """A positive id given as a JSON integer: strings, floats and booleans are refused."""

    default_error_messages = {"invalid": "A JSON integer is required."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=PG_INT_MAX, **kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return int(super().to_internal_value(data))

    def plain_value(self, data: Any) -> Any:
        """`data` when it is plainly valid, an int in range; NOT_PLAIN leaves it to DRF's checks
        (StrictBodySerializer.validated_body)."""
        if type(data) is int and 1 <= data <= PG_INT_MAX:
            return data
        return NOT_PLAIN


class RentalCreateSerializer(StrictBodySerializer):
    """The body of POST /customers/{customer_id}/rentals."""

    inventory_id = StrictIdField(help_text="The copy to rent out.")
    staff_id = StrictIdField(help_text="The staff member recording the rental.")


class RentalListParams(serializers.Serializer):
    """The filter of GET /customers/{customer_id}/rentals (paging is the paginator's)."""

    status = serializers.ChoiceField(
        choices=["open", "returned"], required=False, help_text="Only open or only returned."
    )


# A rental's film: representation.FILM_FIELDS (no docstring: it would enter the OpenAPI schema).
class FilmRefSerializer(serializers.Serializer):
    film_id = serializers.IntegerField()
    title = serializers.CharField()


class RentalSerializer(serializers.ModelSerializer):
    """A rental as the API shows it: ids, dates, the rented film and the copy's store."""

    inventory_id = serializers.IntegerField()
    customer_id = serializers.IntegerField()
    staff_id = serializers.IntegerField()
    film = FilmRefSerializer(source="inventory.film")
    store_id = serializers.IntegerField(source="inventory.store_id")

    class Meta:
        model = Rental
        fields = list(RENTAL_FIELDS)
        read_only_fields = fields


class RentalReturnBodySerializer(StrictBodySerializer):
    """The optional body of POST /rentals/{rental_id}/return."""

    staff_id = StrictIdField(
        required=False,
        help_text="The staff member taking the payment; the rental's own when left out.",
    )


def money_field(help_text: str, max_digits: int | None = 5) -> serializers.DecimalField:
    """An amount in dollars, shown as a string with cents (e.g. `"4.99"`)."""
    return serializers.DecimalField(max_digits=max_digits, decimal_places=2, help_text=help_text)


# The payment a return recorded: representation.PAYMENT_FIELDS (no docstring: see above).
class ReturnPaymentSerializer(serializers.Serializer):
    payment_id = serializers.IntegerField()
    payment_date = serializers.DateTimeField(help_text="When it was paid: the return date.")
    staff_id = serializers.IntegerField(help_text="The staff member who took it.")
    amount = money_field("`rental_fee` plus `late_fee`.")
    rental_fee = money_field("The film's rental rate.")
    late_fee = money_field(
        "$1.00 per whole day kept beyond the film's rental duration; the film's replacement "
        "cost instead when the copy was late by more than twice the rental duration."
    )
    lost = serializers.BooleanField(help_text="Late by more than twice the rental duration.")


class RentalReturnSerializer(RentalSerializer):
    """A returned rental and the payment its return recorded."""

    payment = ReturnPaymentSerializer()

    class Meta(RentalSerializer.Meta):
        fields = [*RENTAL_FIELDS, "payment"]
        read_only_fields = fields


class OverdueRentalSerializer(RentalSerializer):
    """An open rental past its due date, with what its return would charge now."""

    due_date = serializers.DateTimeField(
        help_text="The rental date plus the film's rental duration in days."
    )
    days_overdue = serializers.IntegerField(help_text="Whole days kept beyond the due date.")
    amount_due = money_field("What returning it now would charge (rental and late fee).")

    class Meta(RentalSerializer.Meta):
        fields = [*RENTAL_FIELDS, "due_date", "days_overdue", "amount_due"]
        read_only_fields = fields


class OverdueListParams(serializers.Serializer):
    """The filters of GET /rentals/overdue (paging is the paginator's)."""

    store_id = QueryIntegerField(
        min_value=1, max_value=PG_INT_MAX, required=False, help_text="Only copies of this store."
    )
    customer_id = QueryIntegerField(
        min_value=1, max_value=PG_INT_MAX, required=False, help_text="Only this customer's."
    )


class BalanceParams(serializers.Serializer):
    """The query of GET /customers/{customer_id}/balance."""

    as_of = serializers.DateTimeField(
        required=False,
        help_text="ISO 8601 date and time the balance is for (UTC when no offset is given); "
        "now when left out.",
    )


class BalanceSerializer(serializers.Serializer):
    """What a customer owes at `as_of`: `rental_fees` plus `late_fees` minus `payments`.

    The charges are those of the rentals taken by `as_of`, each counted as kept until its return
    or `as_of`, whichever came first; the payments are those made by `as_of`.
    """

    customer_id = serializers.IntegerField()
    balance = money_field("Negative when the customer paid more than charged.", None)
    as_of = serializers.DateTimeField()
    rental_fees = money_field("The films' rental rates.", None)
    late_fees = money_field("Late days, or replacement costs of lost copies.", None)
    payments = money_field("Payments made.", None)


class PaymentSerializer(serializers.Serializer):
    """One payment a customer made for a rental."""

    payment_id = serializers.IntegerField()
    payment_date = serializers.DateTimeField()
    amount = money_field("Dollars paid.")
    rental_id = serializers.IntegerField()
    staff_id = serializers.IntegerField(help_text="The staff member who took it.")
