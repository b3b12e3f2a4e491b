"""Rental request and response shapes for the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from pagila_site.api.parsers import StrictBodySerializer
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
