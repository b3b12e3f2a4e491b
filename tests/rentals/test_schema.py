"""The OpenAPI document describes the store's money endpoints: bodies, parameters, errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rentals.representation import PAYMENT_FIELDS, RENTAL_FIELDS

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The component a `$ref` names, or the node itself."""
    if "$ref" in node:
        return dict(schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]])
    return node


def component(schema: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    """The JSON body's schema; for a page of items, the items' schema."""
    body = resolved(schema, content["application/json"]["schema"])
    for key in ("rentals", "payments"):
        items = body.get("properties", {}).get(key, {}).get("items")
        if items:
            return resolved(schema, items)
    return body


def query_parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}


def test_the_return_takes_an_optional_staff_id_and_answers_with_the_payment(
    schema: dict[str, Any],
) -> None:
    operation = schema["paths"]["/api/v1/rentals/{rental_id}/return"]["post"]

    assert not operation["requestBody"].get("required", False)
    body = component(schema, operation["requestBody"]["content"])
    assert body["additionalProperties"] is False
    assert set(body["properties"]) == {"staff_id"} and "required" not in body
    returned = component(schema, operation["responses"]["200"]["content"])
    assert list(returned["properties"]) == [*RENTAL_FIELDS, "payment"]
    payment = schema["components"]["schemas"]["ReturnPayment"]
    assert list(payment["properties"]) == list(PAYMENT_FIELDS)
    assert payment["properties"]["amount"]["type"] == "string"
    assert payment["properties"]["lost"]["type"] == "boolean"
    assert set(operation["responses"]) == {"200", "400", "401", "404", "409", "415", "422"}


def test_overdue_rentals_are_paged_and_filtered_by_store_and_customer(
    schema: dict[str, Any],
) -> None:
    operation = schema["paths"]["/api/v1/rentals/overdue"]["get"]

    assert set(query_parameters(operation)) == {"skip", "limit", "store_id", "customer_id"}
    assert query_parameters(operation)["store_id"]["minimum"] == 1
    listed = resolved(
        schema, operation["responses"]["200"]["content"]["application/json"]["schema"]
    )
    assert listed["required"] == ["rentals", "total", "skip", "limit"]
    rental = component(schema, operation["responses"]["200"]["content"])
    assert list(rental["properties"])[-3:] == ["due_date", "days_overdue", "amount_due"]
    assert set(operation["responses"]) == {"200", "400", "401"}


def test_a_customers_balance_and_payments(schema: dict[str, Any]) -> None:
    balance = schema["paths"]["/api/v1/customers/{customer_id}/balance"]["get"]
    payments = schema["paths"]["/api/v1/customers/{customer_id}/payments"]["get"]

    assert query_parameters(balance) == {"as_of": {"type": "string", "format": "date-time"}}
    figures = component(schema, balance["responses"]["200"]["content"])
    assert sorted(figures["required"]) == sorted(
        ["customer_id", "balance", "as_of", "rental_fees", "late_fees", "payments"]
    )
    assert figures["properties"]["balance"]["format"] == "decimal"
    assert set(query_parameters(payments)) == {"skip", "limit"}
    assert list(component(schema, payments["responses"]["200"]["content"])["properties"]) == [
        "payment_id",
        "payment_date",
        "amount",
        "rental_id",
        "staff_id",
    ]
    for operation in (balance, payments):
        assert set(operation["responses"]) == {"200", "400", "401", "404"}
        assert PROBLEM in operation["responses"]["404"]["content"]
        assert operation["security"] == [{"bearerAuth": []}]
