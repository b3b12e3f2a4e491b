"""Rentals under real concurrency: a live server, simultaneous clients, a second DB session."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest
from django.db import connection

from pagila_site.pagila.loader import server_conninfo
from rentals.models import Customer, Rental
from tests.clients import auth_header, rentals_url
from tests.pagila_facts import IN_STOCK_COPY, STAFF

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

CLIENTS = 24
# Seconds a test waits for the server's request to queue on a lock before it fails.
LOCK_WAIT_DEADLINE = 30.0


@pytest.fixture
def other_session() -> Iterator[psycopg.Connection]:
    """A second database session on the test database, like a clerk at another till."""
    settings_dict = connection.settings_dict
    with psycopg.connect(**server_conninfo(settings_dict), dbname=settings_dict["NAME"]) as conn:
        yield conn


def wait_until_a_request_waits_on_a_lock() -> None:
    """Block until some session on the test database waits for a lock held by another."""
    deadline = time.monotonic() + LOCK_WAIT_DEADLINE
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the server's request never queued behind the other session's lock")


def rent(base_url: str, customer_id: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(
        base_url + rentals_url(customer_id),
        json={"inventory_id": IN_STOCK_COPY, "staff_id": STAFF},
        headers={**auth_header(), **(headers or {})},
        timeout=60,
    )


# Three races on three in-stock copies of ACADEMY DINOSAUR: a missing lock loses at least one.
@pytest.mark.parametrize("copy", [1, 2, 3])
def test_simultaneous_rentals_of_one_copy_give_one_201_and_the_rest_409(
    live_server_url: str, restore_rentals: int, copy: int
) -> None:
    customers = list(
        Customer.objects.filter(active=1).order_by("pk").values_list("pk", flat=True)[:CLIENTS]
    )
    start = threading.Barrier(CLIENTS)

    def one_clerk(customer_id: int) -> httpx.Response:
        with httpx.Client(base_url=live_server_url, headers=auth_header(), timeout=60) as client:
            client.get("/healthz")  # open the connection before the race starts
            start.wait()
            return client.post(
                rentals_url(customer_id), json={"inventory_id": copy, "staff_id": STAFF}
            )

    with ThreadPoolExecutor(CLIENTS) as pool:
        responses = list(pool.map(one_clerk, customers))

    assert Counter(r.status_code for r in responses) == {201: 1, 409: CLIENTS - 1}
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"copy_not_available"}
    created = Rental.objects.filter(rental_id__gt=restore_rentals)
    assert created.count() == 1
    (winner,) = (r.json() for r in responses if r.status_code == 201)
    assert created.get().pk == winner["rental_id"]
    assert Rental.objects.open().filter(inventory_id=copy).count() == 1


def test_a_retry_while_the_first_request_runs_is_409_then_replays_the_result(
    live_server_url: str, restore_rentals: int, other_session: psycopg.Connection
) -> None:
    key = {"Idempotency-Key": "live-retry-1"}
    with ThreadPoolExecutor(1) as pool:
        with other_session.transaction():
            other_session.execute(
                "SELECT 1 FROM inventory WHERE inventory_id = %s FOR UPDATE", [IN_STOCK_COPY]
            )
            first = pool.submit(rent, live_server_url, 1, key)
            wait_until_a_request_waits_on_a_lock()
            retry = rent(live_server_url, 1, key)
        first_response = first.result()
    replay = rent(live_server_url, 1, key)

    assert retry.status_code == 409
    assert retry.json()["code"] == "idempotency_key_in_progress"
    assert first_response.status_code == 201
    assert replay.status_code == 201
    assert replay.content == first_response.content
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert Rental.objects.filter(rental_id__gt=restore_rentals).count() == 1


def test_a_writer_bypassing_the_service_still_cannot_double_rent_a_copy(
    live_server_url: str, restore_rentals: int, other_session: psycopg.Connection
) -> None:
    with ThreadPoolExecutor(1) as pool:
        with other_session.transaction():
            other_session.execute(
                "INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) "
                "VALUES (now(), %s, 2, %s)",
                [IN_STOCK_COPY, STAFF],
            )
            api_rental = pool.submit(rent, live_server_url, 1)
            wait_until_a_request_waits_on_a_lock()
        response = api_rental.result()

    assert response.status_code == 409
    assert response.json()["code"] == "copy_not_available"
    created = Rental.objects.filter(rental_id__gt=restore_rentals)
    assert list(created.values_list("customer_id", flat=True)) == [2]
