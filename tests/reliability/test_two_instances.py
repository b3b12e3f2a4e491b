"""Two instances on one database and one Redis, as behind a load balancer: the AI rate limit
counts across both, an admin edit on one shows in both film lists, a copy is rented once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from django.db import connection

from films.models import Film
from rentals.models import Customer, Rental
from tests.baker_recipes import PASSWORD, superuser
from tests.clients import auth_header, rentals_url
from tests.live import running_server
from tests.pagila_facts import STAFF
from tests.redis_server import REDIS_URL, delete_keys_under, keys_under, new_key_prefix

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

AI_LIMIT = 4
# Clerks renting one copy at the same instant, taking turns between the two instances.
CLERKS = 50
# An in-stock copy of ACADEMY DINOSAUR at store 2 that no other live test rents.
CONTESTED_COPY = 5
# A loopback address of this module's own, so its AI counter is nobody else's.
CLIENT_ADDRESS = "127.0.0.4"


@pytest.fixture(scope="module")
def redis_key_prefix() -> Iterator[str]:
    prefix = new_key_prefix()
    yield prefix
    delete_keys_under(prefix)


@pytest.fixture(scope="module")
def instances(django_db_setup: None, redis_key_prefix: str) -> Iterator[tuple[str, str]]:
    """Two servers (one worker each) on the test database, sharing one Redis database."""
    env = {
        "CACHE_URL": f"{REDIS_URL}?key_prefix={redis_key_prefix}",
        "AI_RATE_LIMIT": f"{AI_LIMIT}/day",
        "OPENAI_BASE_URL": "",
        "OPENAI_API_KEY": "",
        "DB_POOL_MAX_SIZE": "6",
        "DB_POOL_TIMEOUT": "30",
    }
    name = connection.settings_dict["NAME"]
    with (
        running_server(database_name=name, workers=1, env=env) as first,
        running_server(database_name=name, workers=1, env=env) as second,
    ):
        yield first, second


def test_the_ai_rate_limit_counts_both_instances_together(
    instances: tuple[str, str], redis_key_prefix: str
) -> None:
    transport = httpx.HTTPTransport(local_address=CLIENT_ADDRESS)
    with httpx.Client(transport=transport, timeout=30) as client:
        statuses = [
            client.post(f"{instances[n % 2]}/api/v1/ai/summary", json={"film_id": 1}).status_code
            for n in range(AI_LIMIT + 2)
        ]
    assert statuses == [200] * AI_LIMIT + [429, 429]
    (key,) = keys_under(redis_key_prefix)
    assert f":throttle_ai_{CLIENT_ADDRESS}_" in key


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.in_form = form_id, False
        self.fields: dict[str, Any] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.in_form = attr.get("id") == self.form_id
        elif tag == "option" and self.select and "selected" in attr:
            self.fields.setdefault(self.select, []).append(attr.get("value", ""))
        elif not self.in_form or "name" not in attr:
            return
        elif tag == "input" and attr.get("type") not in ("submit", "checkbox"):
            self.fields[attr["name"]] = attr.get("value", "")
        elif tag == "input" and "checked" in attr:
            self.fields[attr["name"]] = attr.get("value", "on")
        elif tag == "select":
            self.select = attr["name"]
        elif tag == "textarea":
            self.textarea = attr["name"]
            self.fields[self.textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("select", "textarea"):
            self.select = self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:  # a browser drops the newline that follows <textarea>
            self.fields[self.textarea] += (
                data.removeprefix("\n") if not self.fields[self.textarea] else data
            )


def form_fields(page: str, form_id: str) -> dict[str, Any]:
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.fields


@pytest.fixture
def editor() -> Iterator[tuple[str, str]]:
    """A superuser's username and password; film 1's title is put back afterwards."""
    yield superuser.make(username="editor").username, PASSWORD
    Film.objects.filter(pk=1).update(title="ACADEMY DINOSAUR")


def first_title(base_url: str) -> str:
    response = httpx.get(f"{base_url}/api/v1/films?limit=1", timeout=30)
    return str(response.json()["films"][0]["title"])


def test_a_film_edited_in_one_instances_admin_shows_in_both_film_lists(
    instances: tuple[str, str], editor: tuple[str, str]
) -> None:
    first, second = instances
    description = Film.objects.get(pk=1).description
    # Each instance now holds the page in its cache, under the current catalogue version.
    assert [first_title(first), first_title(second)] == ["ACADEMY DINOSAUR"] * 2
    with httpx.Client(base_url=first, timeout=30) as browser:
        login = form_fields(browser.get("/admin/login/").text, "login-form")
        username, password = editor
        logged_in = browser.post(
            "/admin/login/", data={**login, "username": username, "password": password}
        )
        assert logged_in.status_code == 302
        change = "/admin/films/film/1/change/"
        fields = form_fields(browser.get(change).text, "film_form")
        assert fields["title"] == "ACADEMY DINOSAUR" and fields["language"] == ["1"]
        saved = browser.post(change, data={**fields, "title": "ACADEMY DINOSAUR RETURNS"})
        assert saved.status_code == 302, saved.text[:2000]
    assert [first_title(second), first_title(first)] == ["ACADEMY DINOSAUR RETURNS"] * 2
    assert Film.objects.get(pk=1).description == description  # the form changed the title only


@pytest.mark.usefixtures("restore_rentals")
def test_fifty_simultaneous_rentals_of_one_copy_over_both_instances_give_one_201(
    instances: tuple[str, str],
) -> None:
    customers = list(
        Customer.objects.filter(active=1).order_by("pk").values_list("pk", flat=True)[:CLERKS]
    )
    # Every clerk opens its connection once all have their clients, and races once all have
    # one: an open connection never idles for long, so the server's keep-alive timeout (2 s)
    # cannot close it before the race on a slow machine.
    clients_made, connected = threading.Barrier(CLERKS), threading.Barrier(CLERKS)

    def one_clerk(turn: int) -> httpx.Response:
        base_url = instances[turn % 2]
        with httpx.Client(base_url=base_url, headers=auth_header(), timeout=60) as client:
            clients_made.wait()
            client.get("/healthz")
            connected.wait()
            return client.post(
                rentals_url(customers[turn]),
                json={"inventory_id": CONTESTED_COPY, "staff_id": STAFF},
            )

    with ThreadPoolExecutor(CLERKS) as pool:
        responses = list(pool.map(one_clerk, range(CLERKS)))

    assert Counter(r.status_code for r in responses) == {201: 1, 409: CLERKS - 1}
    winners = [r for r in responses if r.status_code == 201]
    open_rentals = Rental.objects.filter(inventory_id=CONTESTED_COPY, return_date__isnull=True)
    assert list(open_rentals.values_list("rental_id", flat=True)) == [
        winners[0].json()["rental_id"]
    ]
