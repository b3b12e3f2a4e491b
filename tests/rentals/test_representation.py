"""The lean rental and return bodies are the serializers', byte for byte; one field list each."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from films.models import Film
from rentals.models import Inventory, Payment, Rental
from rentals.representation import (
    FILM_FIELDS,
    PAYMENT_FIELDS,
    RENTAL_COLUMNS,
    RENTAL_FIELDS,
    RENTAL_WIDTH,
    RETURN_COLUMNS,
    ReturnPayment,
    render_rental,
    render_rental_row,
    render_return_row,
)
from rentals.selectors import rental_queryset
from rentals.serializers import (
    FilmRefSerializer,
    RentalReturnSerializer,
    RentalSerializer,
    ReturnPaymentSerializer,
)
from rentals.services import rental_create_row, rental_return, rental_return_row
from tests.clients import rental_url, rentals_url, return_url
from tests.pagila_facts import (
    ACTIVE_CUSTOMER,
    IN_STOCK_COPY,
    OPEN_RENTAL,
    OPEN_RENTALS,
    STAFF,
)

pytestmark = pytest.mark.django_db

BODY = {"inventory_id": IN_STOCK_COPY, "staff_id": STAFF}


def drf_body(rental: Rental) -> bytes:
    """What the API rendered before: the serializer's data through DRF's JSON renderer."""
    return JSONRenderer().render(RentalSerializer(rental).data)


def drf_return_body(rental: Rental, payment: ReturnPayment) -> bytes:
    """What RentalReturnSerializer and DRF's renderer make of a returned rental and its payment."""
    rental.payment = payment  # type: ignore[attr-defined]  # the serializer's `payment` source
    return JSONRenderer().render(RentalReturnSerializer(rental).data)


def test_rental_1_renders_as_the_api_always_showed_it() -> None:
    rental = rental_queryset().get(pk=1)

    assert render_rental(rental) == (
        b'{"rental_id":1,"rental_date":"2022-05-24T21:53:30Z","inventory_id":367,'
        b'"customer_id":130,"staff_id":1,"return_date":"2022-05-26T21:04:30Z",'
        b'"film":{"film_id":80,"title":"BLANKET BEVERLY"},"store_id":1}'
    )


def test_a_rental_of_every_film_and_every_open_rental_render_as_the_serializer_does() -> None:
    one_per_film = (
        rental_queryset().order_by("inventory__film_id", "pk").distinct("inventory__film_id")
    )
    rentals = [*one_per_film, *rental_queryset().open()]

    mismatches = [r.pk for r in rentals if render_rental(r) != drf_body(r)]

    assert mismatches == []
    assert len(rentals) == 958 + OPEN_RENTALS  # 958 of the 1000 films have copies that were rented


def test_a_title_with_line_separators_is_escaped_as_drf_escapes_it() -> None:
    film = Film(film_id=1, title="LINE\u2028PARAGRAPH\u2029 \u00e9")
    rental = rental_queryset().get(pk=OPEN_RENTAL)
    rental.inventory = Inventory(inventory_id=rental.inventory_id, store_id=1, film=film)

    assert render_rental(rental) == drf_body(rental)
    assert b"LINE\\u2028PARAGRAPH\\u2029 \xc3\xa9" in render_rental(rental)


def test_the_create_and_return_bodies_are_the_serializers_of_what_was_stored(
    api: APIClient,
) -> None:
    created = api.post(rentals_url(ACTIVE_CUSTOMER), BODY, format="json")
    stored = rental_queryset().get(pk=created.json()["rental_id"])
    assert stored.rental_date.microsecond  # now() has microseconds; Pagila's dates have none
    assert created.content == drf_body(stored)

    returned = api.post(return_url(stored.pk))
    stored.refresh_from_db()
    assert stored.return_date is not None
    paid = Payment.objects.get(rental_id=stored.pk)
    assert paid.payment_date == stored.return_date
    # ACADEMY DINOSAUR rents at $0.99; back on the same day, nothing is late.
    payment = ReturnPayment(
        paid.payment_id, paid.payment_date, STAFF, paid.amount, Decimal("0.99"), Decimal(0), False
    )
    assert returned.content == drf_return_body(stored, payment)
    assert api.get(rental_url(stored.pk)).content == drf_body(stored)


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("post", rentals_url(ACTIVE_CUSTOMER), "GET, POST, HEAD, OPTIONS"),
        ("post", return_url(OPEN_RENTAL), "POST, OPTIONS"),
        ("get", rental_url(OPEN_RENTAL), "GET, HEAD, OPTIONS"),
    ],
)
def test_lean_responses_carry_the_headers_of_a_drf_rendered_one(
    api: APIClient, method: str, url: str, allow: str
) -> None:
    drf_rendered = api.get(rentals_url(ACTIVE_CUSTOMER))  # the history is still a DRF Response
    response = getattr(api, method)(url, BODY if url.endswith("rentals") else None, format="json")

    assert response["Content-Type"] == drf_rendered["Content-Type"] == "application/json"
    assert response["Allow"] == allow
    assert set(response.headers) - {"Location"} == set(drf_rendered.headers)
    assert int(response["Content-Length"]) == len(response.content)


def test_one_field_list_names_the_serializers_fields_and_the_functions_columns() -> None:
    assert tuple(RentalSerializer().fields) == RENTAL_FIELDS
    assert tuple(FilmRefSerializer().fields) == FILM_FIELDS
    assert tuple(RentalReturnSerializer().fields) == (*RENTAL_FIELDS, "payment")
    assert tuple(ReturnPaymentSerializer().fields) == PAYMENT_FIELDS
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM pagila_rental_return(%s)", [OPEN_RENTAL])
        assert tuple(column.name for column in cursor.description) == RETURN_COLUMNS
        assert RETURN_COLUMNS[: len(RENTAL_COLUMNS)] == RENTAL_COLUMNS
        cursor.execute("SELECT * FROM pagila_rental_create(1, 1, 1)")
        assert tuple(column.name for column in cursor.description) == RENTAL_COLUMNS


def test_the_service_returns_the_rental_with_its_film_and_store_loaded(
    django_assert_num_queries: Any,
) -> None:
    returned = rental_return(rental_id=OPEN_RENTAL)
    rental = returned.rental
    stored = rental_queryset().get(pk=OPEN_RENTAL)

    with django_assert_num_queries(0):
        assert (rental.inventory.film.title, rental.inventory.store_id) == ("HYDE DOCTOR", 1)
        body = render_rental(rental)
    assert body == drf_body(stored)
    assert (rental.pk, rental._state.adding, rental._state.db) == (OPEN_RENTAL, False, "default")
    assert returned.payment.staff_id == rental.staff_id


def test_the_rows_the_api_renders_are_the_serializers_bodies_of_what_was_stored() -> None:
    created = rental_create_row(
        customer_id=ACTIVE_CUSTOMER, inventory_id=IN_STOCK_COPY, staff_id=STAFF
    )
    assert render_rental_row(created) == drf_body(rental_queryset().get(pk=created[0]))

    returned = rental_return_row(rental_id=OPEN_RENTAL, staff_id=2)
    stored = rental_queryset().get(pk=OPEN_RENTAL)
    payment = ReturnPayment(*returned[RENTAL_WIDTH:])
    assert (payment.staff_id, payment.payment_date) == (2, stored.return_date)
    assert render_return_row(returned) == drf_return_body(stored, payment)
