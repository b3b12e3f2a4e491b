"""Sessions, users and messages are the site's: the token API under /api/v1/ goes past them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import SyncToAsync
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.management import call_command
from django.test import Client

from tests.baker_recipes import superuser
from tests.pagila_site.test_asgi_handler import call

pytestmark = pytest.mark.django_db(transaction=True)

SITE_ONLY = (SessionMiddleware, AuthenticationMiddleware, MessageMiddleware)


@pytest.fixture
def site_hooks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each hook of Django's session, auth and messages middleware as it runs."""
    ran: list[str] = []

    def watched(middleware: type, hook: str) -> Callable[..., Any]:
        django_hook = getattr(middleware, hook)

        def hook_that_notes(self: Any, *args: Any) -> Any:
            ran.append(f"{middleware.__name__}.{hook}")
            return django_hook(self, *args)

        return hook_that_notes

    for middleware in SITE_ONLY:
        for hook in ("process_request", "process_response"):
            if hasattr(middleware, hook):
                monkeypatch.setattr(middleware, hook, watched(middleware, hook))
    return ran


@pytest.fixture
def handoffs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of each function handed from the event loop to a thread (asgiref's adapter)."""
    seen: list[str] = []
    adapter_call = SyncToAsync.__call__

    async def noted_call(self: SyncToAsync, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await adapter_call(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", noted_call)
    yield seen


async def test_an_async_api_request_runs_no_session_user_or_messages_hook(
    site_hooks: list[str], handoffs: list[str]
) -> None:
    status, body, _ = await call("/api/v1/ai/ask")  # no question: a 400 from the async view
    assert (status, json.loads(body)["code"]) == (400, "invalid")
    assert site_hooks == []
    assert not [name for name in handoffs if name.startswith(("Session", "Auth", "Message"))]
    # What is left on threads: the hooks of the middleware that `check --deploy` looks for by
    # name (security, CSRF, clickjacking: 6), Django's signals (2: started, and finished when
    # the response closes), the throttle's cache read, and Django's log line for a 4xx.
    assert len(handoffs) == 10, "\n".join(handoffs)


async def test_a_site_request_runs_every_hook_as_django_ships_them(site_hooks: list[str]) -> None:
    status, _, _ = await call("/no/such/page")  # Django's async path, outside the API
    assert status == 404
    assert sorted(site_hooks) == [
        "AuthenticationMiddleware.process_request",
        "MessageMiddleware.process_request",
        "MessageMiddleware.process_response",
        "SessionMiddleware.process_request",
        "SessionMiddleware.process_response",
    ]


def test_an_api_request_with_a_staff_session_gets_no_user(site_hooks: list[str]) -> None:
    client = Client()
    client.force_login(superuser.make())
    site_hooks.clear()
    response = client.get("/api/v1/customers/1/rentals")  # no token: the session counts for nothing
    assert response.status_code == 401
    assert site_hooks == []
    assert "Cookie" not in response.get("Vary", "")


def test_djangos_checks_find_the_sites_middleware() -> None:
    call_command("check", "--fail-level", "WARNING")  # the admin's E408-E410 look for subclasses
