"""Django's middleware on the event loop (serving.inline_middleware) still does its job."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import AsyncClient, Client

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "inline-middleware-pass"


@pytest.fixture
def manager(django_user_model: type[User]) -> Iterator[User]:
    """A staff superuser, committed (the async client's views run on other connections)."""
    user = django_user_model.objects.create_superuser("inline-manager", password=PASSWORD)
    yield user
    Session.objects.all().delete()
    user.delete()


def csrf_token_of(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the login form carries a CSRF token"
    return found.group(1)


async def test_admin_login_over_asgi_sets_a_session_and_checks_csrf(manager: User) -> None:
    client = AsyncClient(enforce_csrf_checks=True)
    form = await client.get("/admin/login/")
    assert form.status_code == 200
    token = csrf_token_of(form.content.decode())

    refused = await client.post(
        "/admin/login/", {"username": manager.username, "password": PASSWORD}
    )
    assert refused.status_code == 403, "a form POST without the CSRF token is refused"

    logged_in = await client.post(
        "/admin/login/",
        {"username": manager.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert logged_in.status_code == 302
    assert "sessionid" in logged_in.cookies
    index = await client.get("/admin/")
    assert index.status_code == 200
    assert b"Store administration" in index.content
    assert await Session.objects.acount() == 1


async def test_api_responses_over_asgi_carry_the_same_headers_as_over_wsgi() -> None:
    over_asgi = await AsyncClient().get("/api/v1/films?limit=1")
    over_wsgi = await sync_to_async(Client().get)("/api/v1/films?limit=1")
    assert over_asgi.status_code == over_wsgi.status_code == 200
    for name in (
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Length",
    ):
        assert over_asgi[name] == over_wsgi[name], name
    assert "Set-Cookie" not in over_asgi, "an API request never touches the session"
    assert not await Session.objects.aexists()


async def test_append_slash_still_redirects_over_asgi() -> None:
    response = await AsyncClient().get("/admin")
    assert response.status_code == 301
    assert response["Location"] == "/admin/"
