"""The rentals API: a customer's rentals, renting a copy out, one rental, returning it."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from pagila_site.api.auth import ApiTokenRequired
from pagila_site.api.idempotency import HEADER, idempotent
from pagila_site.api.openapi import problem_responses
from pagila_site.api.pagination import SkipLimitPagination
from rentals import selectors, services
from rentals.models import Rental
from rentals.representation import render_rental, render_rental_row, render_return_row
from rentals.serializers import (
    RentalCreateSerializer,
    RentalListParams,
    RentalReturnBodySerializer,
    RentalReturnSerializer,
    RentalSerializer,
)

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Optional. Retrying with the same key and body within 24 hours replays the "
    "first response (`Idempotent-Replayed: true`) and writes nothing more.",
    # 1 to 255 printable ASCII characters; HTTP drops spaces at either end, so none there.
    pattern=r"^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$",
)
RETURN_INPUT = {
    400: "The body is not an object of the documented fields (`invalid`), its `staff_id` names "
    "no staff member (`invalid_reference`), or the `Idempotency-Key` is not 1 to 255 printable "
    "ASCII characters (`invalid_idempotency_key`).",
}
RETRY_PROBLEMS = {
    409: "A business rule refused the request (`code` says which), or a request with the same "
    "`Idempotency-Key` is still running (`idempotency_key_in_progress`).",
    422: "The `Idempotency-Key` was used with another request (`idempotency_key_reused`).",
}


class RentalPagination(SkipLimitPagination):
    results_key = "rentals"


def json_response(body: bytes, status_code: int = status.HTTP_200_OK) -> HttpResponse:
    """A body the representation module rendered, as the JSON response DRF would send."""
    return HttpResponse(body, status=status_code, content_type="application/json")


@extend_schema(tags=["rentals"])
class CustomerRentalViewSet(ApiTokenRequired, viewsets.GenericViewSet):
    """A customer's rentals (newest first, `?status=open|returned`) and renting a copy out."""

    # Tells the schema generator the model behind the path ids; the data comes from selectors.
    queryset = Rental.objects.none()
    serializer_class = RentalSerializer
    pagination_class = RentalPagination

    @extend_schema(
        summary="A customer's rentals",
        description="Newest first, paged with `skip`/`limit`, optionally only `open` or "
        "`returned` ones.",
        parameters=[RentalListParams],
        responses={200: RentalSerializer, **problem_responses(400, 401, 404)},
    )
    def list(self, request: Request, customer_id: int) -> Response:
        params = RentalListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        rentals = selectors.customer_rental_list(
            customer_id=customer_id, status=params.validated_data.get("status")
        )
        page = self.paginate_queryset(rentals)
        return self.get_paginated_response(RentalSerializer(page, many=True).data)

    @extend_schema(
        summary="Rent a copy out",
        description="Rents inventory copy `inventory_id` to the customer as of now. 400 "
        "`invalid_reference` for an unknown copy or staff member; 409 `copy_not_available` when "
        "the copy is out, `customer_inactive` for an inactive customer.",
        request=RentalCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: RentalSerializer,
            **problem_responses(400, 401, 404, 409, 415, 422, descriptions=RETRY_PROBLEMS),
        },
    )
    @idempotent
    def create(self, request: Request, customer_id: int) -> HttpResponse:
        body = RentalCreateSerializer.validated_body(request.data)
        row = services.rental_create_row(customer_id=customer_id, **body)
        response = json_response(render_rental_row(row), status.HTTP_201_CREATED)
        rental_id = row[0]  # the first of RENTAL_COLUMNS
        response["Location"] = reverse("rental-detail", kwargs={"rental_id": rental_id})
        return response


@extend_schema(tags=["rentals"])
class RentalViewSet(ApiTokenRequired, viewsets.GenericViewSet):
    """One rental by id, and taking its copy back."""

    queryset = Rental.objects.none()
    serializer_class = RentalSerializer

    @extend_schema(
        summary="One rental", responses={200: RentalSerializer, **problem_responses(401, 404)}
    )
    def retrieve(self, request: Request, rental_id: int) -> HttpResponse:
        return json_response(render_rental(selectors.rental_get(rental_id=rental_id)))

    @extend_schema(
        summary="Return a rental's copy and take its payment",
        description="Sets `return_date` to now and records the payment for the rental in the "
        "same transaction: the film's rental rate, plus $1.00 per whole day kept beyond its "
        "rental duration, or its replacement cost instead when the copy is late by more than "
        "twice the rental duration (`lost`). The body is optional: `staff_id` names the staff "
        "member taking the payment, the rental's own by default. 400 `invalid_reference` for an "
        "unknown staff member; 409 `already_returned` when it was returned.",
        request=RentalReturnBodySerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            200: RentalReturnSerializer,
            **problem_responses(
                400, 401, 404, 409, 415, 422, descriptions=RETRY_PROBLEMS | RETURN_INPUT
            ),
        },
    )
    @idempotent
    def return_rental(self, request: Request, rental_id: int) -> HttpResponse:
        # No body at all reads as {}; a body of `null` is not an object and is refused.
        body = RentalReturnBodySerializer.validated_body(request.data)
        row = services.rental_return_row(rental_id=rental_id, **body)
        return json_response(render_return_row(row))
