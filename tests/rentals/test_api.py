"""The rentals endpoints on the real Pagila data: each status and what was (not) written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from rentals.models import Inventory, Rental
from rentals.representation import RENTAL_FIELDS
from tests.clients import assert_problem, rental_url, rentals_url, return_url
from tests.pagila_facts import (
    ACTIVE_CUSTOMER,
    IN_STOCK_COPY,
    INACTIVE_CUSTOMER,
    OPEN_RENTAL,
    OPEN_RENTALS,
    OUT_COPY,
    RENTALS,
    STAFF,
    TAMMY_SANDERS,
)

pytestmark = pytest.mark.django_db

BODY = {"inventory_id": IN_STOCK_COPY, "staff_id": STAFF}


def assert_nothing_written() -> None:
    assert Rental.objects.count() == RENTALS
    assert Rental.objects.open().count() == OPEN_RENTALS


def test_renting_an_in_stock_copy_is_201_with_the_rental_and_its_location(api: APIClient) -> None:
    response = api.post(rentals_url(ACTIVE_CUSTOMER), BODY, format="json")

    assert response.status_code == 201
    body = response.json()
    rental = Rental.objects.get(pk=body["rental_id"])
    assert response["Location"] == rental_url(rental.rental_id)
    assert tuple(body) == RENTAL_FIELDS  # pinned byte for byte in test_representation.py
    assert body["inventory_id"] == IN_STOCK_COPY
    assert body["customer_id"] == ACTIVE_CUSTOMER
    assert body["staff_id"] == STAFF
    assert body["return_date"] is None
    assert body["film"] == {"film_id": 1, "title": "ACADEMY DINOSAUR"}
    assert body["store_id"] == 1
    assert datetime.fromisoformat(body["rental_date"]) == rental.rental_date
    assert rental.rental_date.tzinfo is not None
    assert rental.return_date is None
    assert Rental.objects.count() == RENTALS + 1
    assert not Inventory.objects.in_stock().filter(pk=IN_STOCK_COPY).exists()


def test_malformed_json_is_400_and_writes_nothing(api: APIClient) -> None:
    response = api.post(
        rentals_url(ACTIVE_CUSTOMER), '{"inventory_id": 1,', content_type="application/json"
    )

    assert_problem(response, 400, "parse_error")
    assert_nothing_written()


def test_missing_fields_are_400_naming_each_field(api: APIClient) -> None:
    response = api.post(rentals_url(ACTIVE_CUSTOMER), {}, format="json")

    body = assert_problem(response, 400, "invalid")
    assert set(body["errors"]) == {"inventory_id", "staff_id"}
    assert_nothing_written()


def test_a_body_that_is_not_an_object_is_400(api: APIClient) -> None:
    response = api.post(rentals_url(ACTIVE_CUSTOMER), [1, 1], format="json")

    assert "non_field_errors" in assert_problem(response, 400, "invalid")["errors"]
    assert_nothing_written()


@pytest.mark.parametrize("bad", [0, -1, "1", 1.5, 1.0, True, None, "", [1], 2**31])
def test_non_positive_or_non_integer_ids_are_400_naming_the_field(
    api: APIClient, bad: object
) -> None:
    response = api.post(
        rentals_url(ACTIVE_CUSTOMER), {"inventory_id": bad, "staff_id": STAFF}, format="json"
    )

    body = assert_problem(response, 400, "invalid")
    assert list(body["errors"]) == ["inventory_id"]
    assert_nothing_written()


@pytest.mark.parametrize("customer_id", [9999, 0, 2**31, 2**80])
def test_unknown_customer_in_the_path_is_404(api: APIClient, customer_id: int) -> None:
    response = api.post(rentals_url(customer_id), BODY, format="json")

    assert_problem(response, 404, "customer_not_found")
    assert_nothing_written()


def test_unknown_inventory_copy_is_400_naming_inventory_id(api: APIClient) -> None:
    response = api.post(
        rentals_url(ACTIVE_CUSTOMER), {"inventory_id": 4582, "staff_id": STAFF}, format="json"
    )

    body = assert_problem(response, 400, "invalid_reference")
    assert body["errors"] == {"inventory_id": ["Inventory copy 4582 does not exist."]}
    assert_nothing_written()


def test_unknown_staff_member_is_400_naming_staff_id(api: APIClient) -> None:
    response = api.post(
        rentals_url(ACTIVE_CUSTOMER), {"inventory_id": IN_STOCK_COPY, "staff_id": 3}, format="json"
    )

    body = assert_problem(response, 400, "invalid_reference")
    assert list(body["errors"]) == ["staff_id"]
    assert_nothing_written()


def test_renting_a_copy_that_is_out_is_409_copy_not_available(api: APIClient) -> None:
    response = api.post(
        rentals_url(ACTIVE_CUSTOMER), {"inventory_id": OUT_COPY, "staff_id": STAFF}, format="json"
    )

    body = assert_problem(response, 409, "copy_not_available")
    assert list(body["errors"]) == ["inventory_id"]
    assert Rental.objects.open().get(inventory_id=OUT_COPY).pk == OPEN_RENTAL
    assert_nothing_written()


def test_inactive_customer_16_is_409_customer_inactive(api: APIClient) -> None:
    response = api.post(rentals_url(INACTIVE_CUSTOMER), BODY, format="json")

    assert_problem(response, 409, "customer_inactive")
    assert_nothing_written()


def test_customer_history_is_newest_first_and_paged(
    api: APIClient, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):  # customer exists, count, one page with film joined
        response = api.get(rentals_url(TAMMY_SANDERS), {"skip": 5, "limit": 20})

    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["skip"], body["limit"]) == (41, 5, 20)
    expected = list(
        Rental.objects.filter(customer_id=TAMMY_SANDERS)
        .order_by("-rental_date", "-rental_id")
        .values_list("rental_id", flat=True)[5:25]
    )
    assert [rental["rental_id"] for rental in body["rentals"]] == expected
    assert all(rental["customer_id"] == TAMMY_SANDERS for rental in body["rentals"])


@pytest.mark.parametrize(("status", "total"), [("open", 3), ("returned", 38)])
def test_customer_history_filters_open_or_returned(api: APIClient, status: str, total: int) -> None:
    response = api.get(rentals_url(TAMMY_SANDERS), {"status": status, "limit": "100"})

    body = response.json()
    assert body["total"] == total
    returned = [rental["return_date"] is not None for rental in body["rentals"]]
    assert returned == [status == "returned"] * total


def test_customer_history_defaults_to_the_first_ten(api: APIClient) -> None:
    body = api.get(rentals_url(ACTIVE_CUSTOMER)).json()

    assert (body["total"], body["skip"], body["limit"]) == (32, 0, 10)
    assert len(body["rentals"]) == 10
    assert body["rentals"][0]["rental_id"] == 15315


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "lost"}, "status"), ({"limit": 101}, "limit"), ({"skip": -1}, "skip")],
)
def test_bad_history_parameters_are_400(api: APIClient, params: dict[str, Any], field: str) -> None:
    response = api.get(rentals_url(TAMMY_SANDERS), params)

    assert field in assert_problem(response, 400, "invalid")["errors"]


def test_history_of_an_unknown_customer_is_404(api: APIClient) -> None:
    assert_problem(api.get(rentals_url(600)), 404, "customer_not_found")


def test_one_rental_by_id(api: APIClient) -> None:
    response = api.get(rental_url(1))

    assert response.status_code == 200
    body = response.json()
    assert body["rental_id"] == 1
    assert body["inventory_id"] == 367
    assert body["film"] == {"film_id": 80, "title": "BLANKET BEVERLY"}
    assert body["store_id"] == 1
    assert body["rental_date"] == "2022-05-24T21:53:30Z"
    assert body["return_date"] == "2022-05-26T21:04:30Z"


@pytest.mark.parametrize("rental_id", [99999, 0, 2**31, 2**80])
def test_unknown_rental_is_404(api: APIClient, rental_id: int) -> None:
    assert_problem(api.get(rental_url(rental_id)), 404, "rental_not_found")
    assert_problem(api.post(return_url(rental_id)), 404, "rental_not_found")
    assert_nothing_written()


def test_returning_an_open_rental_sets_its_return_date_and_frees_the_copy(api: APIClient) -> None:
    response = api.post(return_url(OPEN_RENTAL))

    assert response.status_code == 200
    body = response.json()
    rental = Rental.objects.get(pk=OPEN_RENTAL)
    assert rental.return_date is not None
    assert datetime.fromisoformat(body["return_date"]) == rental.return_date
    assert body["inventory_id"] == OUT_COPY
    assert Rental.objects.open().count() == OPEN_RENTALS - 1
    assert Inventory.objects.in_stock().filter(pk=OUT_COPY).exists()


def test_returning_twice_is_409_and_keeps_the_first_return_date(api: APIClient) -> None:
    first = api.post(return_url(OPEN_RENTAL)).json()["return_date"]

    assert_problem(api.post(return_url(OPEN_RENTAL)), 409, "already_returned")
    assert datetime.fromisoformat(first) == Rental.objects.get(pk=OPEN_RENTAL).return_date


def test_returning_a_long_returned_rental_is_409(api: APIClient) -> None:
    assert_problem(api.post(return_url(1)), 409, "already_returned")
    return_date = Rental.objects.get(pk=1).return_date
    assert return_date is not None
    assert return_date.isoformat() == "2022-05-26T21:04:30+00:00"


def test_a_returned_copy_can_be_rented_again(api: APIClient) -> None:
    first = api.post(rentals_url(ACTIVE_CUSTOMER), BODY, format="json").json()
    assert api.post(rentals_url(2), BODY, format="json").status_code == 409

    api.post(return_url(first["rental_id"]))
    again = api.post(rentals_url(2), BODY, format="json")

    assert again.status_code == 201
    assert Rental.objects.filter(inventory_id=IN_STOCK_COPY, return_date__isnull=True).count() == 1
    assert Rental.objects.count() == RENTALS + 2


def test_a_rental_and_its_return_take_one_query_each_plus_a_savepoint_in_a_transaction(
    api: APIClient, django_assert_num_queries: Any
) -> None:
    # The test runs in a transaction, so each call gets a savepoint around its one query
    # (tests/rentals/test_round_trips.py counts them outside one: exactly one each).
    with django_assert_num_queries(3) as create:
        rental_id = api.post(rentals_url(ACTIVE_CUSTOMER), BODY, format="json").json()["rental_id"]
    with django_assert_num_queries(3) as returned:
        assert api.post(return_url(rental_id)).status_code == 200

    assert "pagila_rental_create(" in create.captured_queries[1]["sql"]
    assert "pagila_rental_return(" in returned.captured_queries[1]["sql"]
    assert Rental.objects.get(pk=rental_id).return_date is not None
