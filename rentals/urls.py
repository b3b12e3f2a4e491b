"""URL routes of the rentals app, mounted under /api/v1/ by pagila_site.config.urls."""

from django.urls import URLPattern, URLResolver, path

from rentals.views import CustomerRentalViewSet, RentalViewSet

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "customers/<int:customer_id>/rentals",
        CustomerRentalViewSet.as_view({"get": "list", "post": "create"}),
        name="customer-rentals",
    ),
    path(
        "rentals/<int:rental_id>", RentalViewSet.as_view({"get": "retrieve"}), name="rental-detail"
    ),
    path(
        "rentals/<int:rental_id>/return",
        RentalViewSet.as_view({"post": "return_rental"}),
        name="rental-return",
    ),
]
