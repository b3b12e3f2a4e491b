"""SkipLimitPagination on a real list, a customer's rentals: strict paging and the seed's body."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.clients import auth_header, rentals_url
from tests.pagila_facts import TAMMY_SANDERS

pytestmark = pytest.mark.django_db

# TAMMY SANDERS (customer 75) has 41 rentals in Pagila.
CUSTOMER = TAMMY_SANDERS
RENTALS = 41


def page(**params: str) -> Any:
    return APIClient().get(rentals_url(CUSTOMER), params, headers=auth_header())


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"skip": "5.0"}, "skip"),
        ({"skip": "+5"}, "skip"),
        ({"skip": " 5"}, "skip"),
        ({"skip": "-1"}, "skip"),
        ({"skip": "2147483648"}, "skip"),
        ({"skip": "ten"}, "skip"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "5.0"}, "limit"),
        ({"limit": "+5"}, "limit"),
    ],
)
def test_a_bad_skip_or_limit_is_a_400_problem_naming_it(params: dict[str, str], field: str) -> None:
    response = page(**params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == [field]


def test_a_bad_skip_and_limit_are_named_in_one_400() -> None:
    body = page(skip="-1", limit="101").json()
    assert body["status"] == 400 and sorted(body["errors"]) == ["limit", "skip"]


def test_the_page_body_is_the_seeds() -> None:
    body = page(skip="40", limit="100").json()
    assert sorted(body) == ["limit", "rentals", "skip", "total"]
    assert (body["total"], body["skip"], body["limit"], len(body["rentals"])) == (
        RENTALS,
        40,
        100,
        1,
    )


def test_empty_parameters_mean_the_defaults() -> None:
    body = page(skip="", limit="").json()
    assert (body["total"], body["skip"], body["limit"], len(body["rentals"])) == (
        RENTALS,
        0,
        10,
        10,
    )


@pytest.mark.parametrize("skip", [str(RENTALS), "1000", "2147483647"])
def test_a_skip_past_the_end_is_an_empty_page_with_the_total(
    django_assert_max_num_queries: Any, skip: str
) -> None:
    with django_assert_max_num_queries(3):  # customer exists, count, at most an empty page
        body = page(skip=skip).json()
    assert body == {"rentals": [], "total": RENTALS, "skip": int(skip), "limit": 10}
