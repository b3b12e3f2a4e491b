"""Suite-wide fixtures: Pagila in a template database, back-office users, the fake model, one live
server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from django.db.models import Max

from devtools.fake_llm import FakeLLM
from pagila_site.pagila.loader import advisory_lock, server_conninfo
from rentals.models import Payment, Rental
from tests.ai_client import FAKE_MODEL
from tests.baker_recipes import staff_user, user
from tests.live import model_env, running_server

# Seconds the live server waits for the fake model: a hung model fails in a second, while the
# browser tests' slowest chunks (0.3 s apart) still arrive well within it.
LIVE_AI_TIMEOUT = 1.0


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Load Pagila once into the template that Django copies for the test database."""
    db = settings.DATABASES["default"]
    with advisory_lock(server_conninfo(db), "pagila-template"):
        call_command("pagila_load", database_name=db["TEST"]["TEMPLATE"], verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def close_connection_pools(django_db_setup: None) -> Iterator[None]:
    """Close the pooled connections that other threads used, so the test database can be dropped.

    Requests served on other threads (the ASGI handler's pool, AsyncClient) hand their connection
    back to the process's pool, where it stays open, and async ORM calls keep theirs; without
    this the test database is still "being accessed by other users" when pytest-django drops it.
    """
    yield
    # The async ORM calls of tests (`acount()`...) ran on asgiref's one shared thread, which
    # still holds its connection: close it there, then the pools with every idle connection.
    asyncio.run(sync_to_async(connections.close_all)())
    for connection in connections.all(initialized_only=True):
        connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's; django-stubs lack it


@pytest.fixture
def clerk(db: None) -> User:
    """A staff user who is not a superuser and holds no permissions."""
    return staff_user.make(username="clerk")


@pytest.fixture
def customer_user(db: None) -> User:
    """A user who may log in to the site but is not staff."""
    return user.make(username="visitor")


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeLLM]:
    """The fake OpenAI-compatible model server on loopback, for the whole session."""
    with FakeLLM(model=FAKE_MODEL) as server:
        yield server


@pytest.fixture
def fake(fake_server: FakeLLM) -> Iterator[FakeLLM]:
    """The fake model server, with no queued scripts, no responder and no recorded requests."""
    fake_server.reset()
    fake_server.responder = None
    fake_server.chunk_delay = 0.0
    yield fake_server
    fake_server.reset()
    fake_server.responder = None


@pytest.fixture
def model(settings: Any, fake: FakeLLM) -> FakeLLM:
    """The assistant pointed at the fake server (no rate limit; failures reported at once)."""
    settings.OPENAI_BASE_URL = fake.base_url
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_MODEL = FAKE_MODEL
    settings.AI_TIMEOUT = 5.0
    settings.AI_MAX_RETRIES = 0
    settings.AI_RATE_LIMIT = "off"
    return fake


@pytest.fixture
def offline(settings: Any) -> None:
    """No key and no base URL: offline mode."""
    settings.OPENAI_BASE_URL = ""
    settings.OPENAI_API_KEY = ""
    settings.AI_RATE_LIMIT = "off"


@pytest.fixture(scope="session")
def live_server_url(django_db_setup: None, fake_server: FakeLLM) -> Iterator[str]:
    """One server (two workers) on the test database for the whole session, started on first use.

    Its model is the fake one, with no AI rate limit: the browser, SSE, slow-client, race and
    model-fault tests all share it, so the suite pays for one server start, not one per module.
    """
    from django.db import connection

    env = model_env(fake_server, timeout=LIVE_AI_TIMEOUT)
    with running_server(database_name=connection.settings_dict["NAME"], env=env) as url:
        yield url


@pytest.fixture
def restore_rentals(transactional_db: None) -> Iterator[int]:
    """For live tests that rent: yield the highest rental id, then delete every rental created
    after it, and every payment made meanwhile (returns record one).
    """
    last = Rental.objects.order_by("-rental_id").values_list("rental_id", flat=True).first() or 0
    last_payment = Payment.objects.aggregate(last=Max("payment_id"))["last"]
    yield last
    Payment.objects.filter(payment_id__gt=last_payment).delete()
    Rental.objects.filter(rental_id__gt=last).delete()
