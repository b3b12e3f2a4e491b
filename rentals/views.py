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
from rentals.representation import render_rental
from rentals.serializers import RentalCreateSerializer, RentalListParams, RentalSerializer

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Optional. Retrying with the same key and body within 24 hours replays the "
    "first response (`Idempotent-Replayed: true`) and writes nothing more.",
    # 1 to 255 printable ASCII characters; HTTP drops spaces at either end, so none there.
    pattern=r"^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$",
)
INVALID_KEY = {
    400: "The `Idempotency-Key` is not 1 to 255 printable ASCII characters "
    "(`invalid_idempotency_key`).",
}
RETRY_PROBLEMS = {
    409: "A business rule refused the request (`code` says which), or a request with the same "
    "`Idempotency-Key` is still running (`idempotency_key_in_progress`).",
    422: "The `Idempotency-Key` was used with another request (`idempotency_key_reused`).",
}


class RentalPagination(SkipLimitPagination):
    results_key = "rentals"


def rental_response(rental: Rental, status_code: int = status.HTTP_200_OK) -> HttpResponse:
    """One rental as RentalSerializer shows it, rendered without the serializer."""
    return HttpResponse(render_rental(rental), status=status_code, content_type="application/json")


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
        body = RentalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rental = services.rental_create(customer_id=customer_id, **body.validated_data)
        response = rental_response(rental, status.HTTP_201_CREATED)
        response["Location"] = reverse("rental-detail", kwargs={"rental_id": rental.rental_id})
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
        return rental_response(selectors.rental_get(rental_id=rental_id))

    @extend_schema(
        summary="Return a rental's copy",
        description="Sets `return_date` to now; 409 `already_returned` when it was returned.",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            200: RentalSerializer,
            **problem_responses(400, 401, 404, 409, 422, descriptions=RETRY_PROBLEMS | INVALID_KEY),
        },
    )
    @idempotent
    def return_rental(self, request: Request, rental_id: int) -> HttpResponse:
        return rental_response(services.rental_return(rental_id=rental_id))
