"""URL routes of the rentals app, mounted under /api/v1/ by pagila_site.config.urls."""

from django.urls import URLPattern, URLResolver, path

from rentals.billing_views import (
    CustomerBalanceViewSet,
    CustomerPaymentViewSet,
    OverdueRentalViewSet,
)
from rentals.views import CustomerRentalViewSet, RentalViewSet

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "customers/<int:customer_id>/rentals",
        CustomerRentalViewSet.as_view({"get": "list", "post": "create"}),
        name="customer-rentals",
    ),
    path(
        "customers/<int:customer_id>/balance",
        CustomerBalanceViewSet.as_view({"get": "retrieve"}),
        name="customer-balance",
    ),
    path(
        "customers/<int:customer_id>/payments",
        CustomerPaymentViewSet.as_view({"get": "list"}),
        name="customer-payments",
    ),
    # Before rentals/<rental_id>: "overdue" is no rental id (the int converter refuses it too).
    path("rentals/overdue", OverdueRentalViewSet.as_view({"get": "list"}), name="rentals-overdue"),
    path(
        "rentals/<int:rental_id>", RentalViewSet.as_view({"get": "retrieve"}), name="rental-detail"
    ),
    path(
        "rentals/<int:rental_id>/return",
        RentalViewSet.as_view({"post": "return_rental"}),
        name="rental-return",
    ),
]
