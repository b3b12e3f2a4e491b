"""The store's money in the API: the overdue rentals, a customer's balance and payments."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from pagila_site.api.auth import ApiTokenRequired
from pagila_site.api.openapi import problem_responses
from pagila_site.api.pagination import SkipLimitPagination
from rentals import billing
from rentals.models import Payment, Rental
from rentals.serializers import (
    BalanceParams,
    BalanceSerializer,
    OverdueListParams,
    OverdueRentalSerializer,
    PaymentSerializer,
)
from rentals.views import RentalPagination


class PaymentPagination(SkipLimitPagination):
    results_key = "payments"


@extend_schema(tags=["rentals"])
class OverdueRentalViewSet(ApiTokenRequired, viewsets.GenericViewSet):
    """The open rentals past their due date."""

    queryset = Rental.objects.none()
    serializer_class = OverdueRentalSerializer
    pagination_class = RentalPagination

    @extend_schema(
        summary="Overdue rentals",
        description="Open rentals past their due date (rental date plus the film's rental "
        "duration in days), most overdue first, each with what returning it now would charge; "
        "optionally only one store's copies or one customer's rentals.",
        parameters=[OverdueListParams],
        responses={200: OverdueRentalSerializer, **problem_responses(400, 401)},
    )
    def list(self, request: Request) -> Response:
        params = OverdueListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(billing.overdue_rental_list(**params.validated_data))
        return self.get_paginated_response(OverdueRentalSerializer(page, many=True).data)


@extend_schema(tags=["customers"])
class CustomerBalanceViewSet(ApiTokenRequired, viewsets.GenericViewSet):
    """What a customer owes."""

    queryset = Payment.objects.none()
    serializer_class = BalanceSerializer

    @extend_schema(
        summary="A customer's balance",
        description="What the customer owes at `as_of` (now by default): the charges of the "
        "rentals taken by then, an open one counted as if returned then, minus the payments "
        "made by then. The same figure as the database's `get_customer_balance()`.",
        parameters=[BalanceParams],
        responses={200: BalanceSerializer, **problem_responses(400, 401, 404)},
    )
    def retrieve(self, request: Request, customer_id: int) -> Response:
        params = BalanceParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        balance = billing.customer_balance(customer_id=customer_id, **params.validated_data)
        return Response(BalanceSerializer(balance).data)


@extend_schema(tags=["customers"])
class CustomerPaymentViewSet(ApiTokenRequired, viewsets.GenericViewSet):
    """What a customer paid."""

    queryset = Payment.objects.none()
    serializer_class = PaymentSerializer
    pagination_class = PaymentPagination

    @extend_schema(
        summary="A customer's payments",
        description="Newest first, paged with `skip`/`limit`.",
        responses={200: PaymentSerializer, **problem_responses(400, 401, 404)},
    )
    def list(self, request: Request, customer_id: int) -> Response:
        page = self.paginate_queryset(billing.customer_payment_list(customer_id=customer_id))
        return self.get_paginated_response(PaymentSerializer(page, many=True).data)
