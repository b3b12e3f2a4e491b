"""Security headers on every response, one CSP on every HTML page, CORS closed unless configured,
CSRF on the admin, and HTTPS behind a TLS proxy when configured."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pagila_site.middleware.security_headers import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY
from rentals.models import Rental
from tests.baker_recipes import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

HTML_PAGES = ["/admin/login/", "/api/docs/", "/assistant/"]
OTHER_RESPONSES = ["/healthz", "/api/v1/films/1", "/api/schema/", "/api/docs/?script="]
SHOP = "https://shop.example.com"


def assert_common_headers(response: Any) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_carry_the_one_content_security_policy(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert_common_headers(response)


def test_the_policy_allows_no_inline_code_framing_or_other_origins() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    for directive in ("default-src", "connect-src", "script-src", "style-src", "form-action"):
        assert directives[directive] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "*" not in CONTENT_SECURITY_POLICY


def test_the_api_docs_have_no_inline_script_or_style(client: Client) -> None:
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page and "<script>" not in page
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize("path", OTHER_RESPONSES)
def test_every_response_carries_the_common_security_headers(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert_common_headers(response)


def test_django_debug_pages_stay_readable_without_a_policy(client: Client, settings: Any) -> None:
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" not in response


def cors_headers(response: Any) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}


def varies_on(response: Any) -> set[str]:
    """The request headers named in Vary, lower-cased (header names are case-insensitive)."""
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


def test_cors_is_closed_by_default(client: Client) -> None:
    response = client.get("/api/v1/films/1", headers={"Origin": SHOP})
    assert response.status_code == 200
    assert cors_headers(response) == {}
    assert "origin" not in varies_on(response)
    preflight = client.options(
        "/api/v1/films", headers={"Origin": SHOP, "Access-Control-Request-Method": "GET"}
    )
    assert cors_headers(preflight) == {}
    assert "origin" not in varies_on(preflight)


def test_a_configured_origin_may_call_the_api_and_no_other(client: Client, settings: Any) -> None:
    settings.CORS_ALLOWED_ORIGINS = [SHOP]
    allowed = client.get("/api/v1/films/1", headers={"Origin": SHOP})
    assert allowed["Access-Control-Allow-Origin"] == SHOP
    exposed = "Location, Retry-After, X-Request-ID, Idempotent-Replayed"
    assert allowed["Access-Control-Expose-Headers"] == exposed
    assert "origin" in varies_on(allowed)
    assert "Access-Control-Allow-Credentials" not in allowed
    rentals = Rental.objects.count()
    ask = {"Access-Control-Request-Method": "POST"}
    ask["Access-Control-Request-Headers"] = "authorization, content-type"
    preflight = client.options("/api/v1/customers/1/rentals", headers={"Origin": SHOP} | ask)
    # django-cors-headers answers 200 with an empty body; a browser takes any 2xx.
    assert preflight.status_code == 200 and preflight.content == b""
    assert preflight["Access-Control-Allow-Origin"] == SHOP
    assert preflight["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    allowed_headers = "Authorization, Content-Type, Idempotency-Key, X-Request-ID"
    assert preflight["Access-Control-Allow-Headers"] == allowed_headers
    assert preflight["Access-Control-Max-Age"] == "600"
    assert "Access-Control-Allow-Credentials" not in preflight
    assert Rental.objects.count() == rentals == 16044
    evil = {"Origin": "https://evil.example"}
    assert cors_headers(client.get("/api/v1/films/1", headers=evil)) == {}
    assert cors_headers(client.options("/api/v1/customers/1/rentals", headers=evil | ask)) == {}
    admin = client.get("/admin/login/", headers={"Origin": SHOP})
    assert cors_headers(admin) == {}


def test_the_admin_login_refuses_a_post_without_its_csrf_token() -> None:
    clerk = staff_user.make(username="clerk")
    browser = Client(enforce_csrf_checks=True)
    credentials = {"username": clerk.username, "password": PASSWORD}
    refused = browser.post("/admin/login/", credentials)
    assert refused.status_code == 403
    assert "_auth_user_id" not in browser.session
    browser.get("/admin/login/")
    token = browser.cookies["csrftoken"].value
    accepted = browser.post("/admin/login/", credentials | {"csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert browser.session["_auth_user_id"]


def test_behind_a_tls_proxy_plain_http_is_redirected_and_https_gets_hsts(
    client: Client, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = client.get("/healthz")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/healthz"
    secure = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
