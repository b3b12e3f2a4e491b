"""Swagger UI renders the films API in a real browser that may not leave the loopback."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser import launch_chromium

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_works_with_no_internet(live_server_url: str) -> None:
    from playwright.sync_api import Route, sync_playwright

    outside: list[str] = []

    def loopback_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.route("**/*", loopback_only)
            failed: list[str] = []
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.goto(f"{live_server_url}/api/docs/")
            page.get_by_text("/api/v1/films/{film_id}").first.wait_for(timeout=20_000)
            page.get_by_text("List films").first.click()
            page.get_by_text("streaming_available").first.wait_for(timeout=10_000)
        finally:
            browser.close()
    assert outside == []
    assert failed == []
