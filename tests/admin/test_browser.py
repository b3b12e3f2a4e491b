"""A clerk logs in with Debian's Chromium and marks a rental returned, against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from rentals.models import Payment, Rental
from tests.baker_recipes import PASSWORD, superuser
from tests.browser import launch_chromium
from tests.pagila_facts import NEWEST_OPEN_RENTAL, OPEN_RENTALS, PAYMENTS

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_login() -> tuple[str, str]:
    """A superuser's username and password (the user goes with the transactional flush)."""
    return superuser.make(username="manager").username, PASSWORD


@pytest.fixture
def open_rental() -> Iterator[Rental]:
    """The newest open rental, put back to open afterwards, its payment deleted, so that the real
    183 open rentals and 16,049 payments hold again.
    """
    yield Rental.objects.get(pk=NEWEST_OPEN_RENTAL)
    Payment.objects.filter(rental_id=NEWEST_OPEN_RENTAL, payment_date__year__gt=2022).delete()
    Rental.objects.filter(pk=NEWEST_OPEN_RENTAL).update(return_date=None)
    assert Rental.objects.open().count() == OPEN_RENTALS
    assert Payment.objects.count() == PAYMENTS


def test_staff_logs_in_and_marks_a_rental_returned(
    live_server_url: str, staff_login: tuple[str, str], open_rental: Rental
) -> None:
    from playwright.sync_api import sync_playwright

    username, password = staff_login
    broken: list[str] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.on("requestfailed", lambda request: broken.append(request.url))
            page.on(
                "response",
                lambda response: broken.append(response.url) if response.status >= 400 else None,
            )
            page.goto(f"{live_server_url}/admin/rentals/rental/?status=open")
            assert urlsplit(page.url).path == "/admin/login/"
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/rentals/rental/?status=open")
            assert page.locator("#result_list tbody tr").count() == 100
            stylesheet = page.evaluate(
                "getComputedStyle(document.querySelector('#header')).display"
            )
            assert stylesheet == "flex"  # admin's CSS arrived

            page.check(f"input[name=_selected_action][value='{NEWEST_OPEN_RENTAL}']")
            page.select_option("select[name=action]", "mark_returned")
            page.click("button[name=index]")
            message = page.locator(".messagelist .success").inner_text()
        finally:
            browser.close()

    assert message == "1 rental(s) marked returned; payments recorded: $21.98 for rental 14098."
    assert broken == []
    rental = Rental.objects.get(pk=NEWEST_OPEN_RENTAL)
    assert rental.return_date is not None
    assert Rental.objects.open().count() == OPEN_RENTALS - 1
