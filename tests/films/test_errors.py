"""Every bad parameter of the film list is a 400 problem naming the parameter, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("skip=-1", "skip"),
        ("skip=abc", "skip"),
        ("skip=1.5", "skip"),
        ("skip=2147483648", "skip"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("ordering=film_id", "ordering"),
        ("ordering=fulltext", "ordering"),
        ("ordering=title,nonsense", "ordering"),
        ("ordering=--title", "ordering"),
        ("ordering=,", "ordering"),
        ("ordering=title,", "ordering"),
        ("ordering=,-length", "ordering"),
        ("rating=X", "rating"),
        ("rating=G,PG-14", "rating"),
        ("rating=PG 13", "rating"),
        ("streaming_available=maybe", "streaming_available"),
        ("streaming_available=yes", "streaming_available"),
        ("search=%00", "search"),
        ("search=" + "a" * 201, "search"),
        ("category=Com%00edy", "category"),
        ("category=" + "c" * 101, "category"),
    ],
)
def test_bad_parameter_is_a_400_problem_with_field_details(
    client: Client, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/films?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid"
    assert body["status"] == 400
    assert body["type"] == "https://pagila-api.invalid/problems/invalid"
    assert list(body["errors"]) == [field]
    messages = body["errors"][field]
    assert messages and all(isinstance(message, str) and message for message in messages)


def test_all_bad_parameters_are_reported_together(client: Client) -> None:
    response = client.get("/api/v1/films?skip=-1&limit=101&ordering=nope&rating=X")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert sorted(errors) == ["limit", "ordering", "rating", "skip"]
    assert errors["limit"] == ["Ensure this value is less than or equal to 100."]
    assert errors["skip"] == ["Ensure this value is greater than or equal to 0."]


def test_unknown_parameters_are_ignored(client: Client) -> None:
    assert client.get("/api/v1/films?colour=blue").json()["total"] == 1000


def test_empty_parameters_count_as_absent(client: Client) -> None:
    query = "skip=&limit=&category=&search=&rating=&streaming_available=&ordering="
    page = client.get(f"/api/v1/films?{query}").json()
    assert (page["total"], page["skip"], page["limit"]) == (1000, 0, 10)
    assert [film["film_id"] for film in page["films"]] == list(range(1, 11))


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_catalogue_is_read_only(client: Client, method: str) -> None:
    response = getattr(client, method)("/api/v1/films/1", content_type="application/json")
    assert response.status_code == 405
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert body["title"] == "Method Not Allowed"
    assert method.upper() in body["detail"]
