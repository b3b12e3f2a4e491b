"""The admin login locks after 5 failures per user and per address, for 15 minutes or until staff
lift it in the back office; each refused login of a locked user or address is logged."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from tests.baker_recipes import PASSWORD, superuser
from tests.log_events import structlog_events

pytestmark = pytest.mark.django_db

LIMIT = 5
COOL_OFF = timedelta(minutes=15)
LOGIN_URL = "/admin/login/?next=/admin/"


@pytest.fixture
def boss() -> User:
    return superuser.make(username="boss")


def log_in(username: str, password: str, address: str = "127.0.0.1") -> tuple[Client, Any]:
    """A fresh browser posting the login form from `address`: (the browser, the response)."""
    browser = Client(REMOTE_ADDR=address)
    return browser, browser.post(LOGIN_URL, {"username": username, "password": password})


def is_logged_in(browser: Client) -> bool:
    return "_auth_user_id" in browser.session


def test_the_fifth_wrong_password_locks_the_user_out_even_with_the_right_one(
    boss: User, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(LIMIT - 1):
        _, response = log_in("boss", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    with caplog.at_level(logging.WARNING, logger="pagila.admin"):
        _, fifth = log_in("boss", "wrong")
        browser, right = log_in("boss", PASSWORD)
    for response in (fifth, right):
        assert response.status_code == 429
        page = response.content.decode()
        assert "Logging in is locked after 5 failed attempts. Try again in\n  15 minutes." in page
        assert "Axes &rsaquo; Access attempts" in page
    assert not is_logged_in(browser)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "boss",
        "127.0.0.1",
        LIMIT,
    )
    events = structlog_events(caplog, "pagila.admin")
    assert [(e["event"], e["username"], e["client_address"]) for e in events] == [
        ("admin login locked out", "boss", "127.0.0.1")
    ] * 2
    assert events[0]["level"] == "warning" and events[0]["failures"] == LIMIT


def test_the_lock_lifts_after_the_cool_off(boss: User) -> None:
    for _ in range(LIMIT):
        log_in("boss", "wrong")
    assert log_in("boss", PASSWORD)[1].status_code == 429
    # Tries while locked did not extend the lock: 15 minutes after the fifth failure it is over.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - COOL_OFF - timedelta(seconds=1))
    browser, response = log_in("boss", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert is_logged_in(browser)
    assert not AccessAttempt.objects.exists()  # a successful login clears the failures


def test_a_locked_user_is_locked_from_every_address(boss: User) -> None:
    for n in range(LIMIT):
        assert log_in("boss", "wrong", address=f"127.0.0.{10 + n}")[1].status_code in (200, 429)
    browser, response = log_in("boss", PASSWORD, address="127.0.0.20")
    assert response.status_code == 429
    assert not is_logged_in(browser)


def test_an_address_that_failed_for_several_users_is_locked_for_everyone(boss: User) -> None:
    for n in range(LIMIT):
        log_in(f"guess{n}", "wrong", address="127.0.0.7")
    assert log_in("boss", PASSWORD, address="127.0.0.7")[1].status_code == 429
    browser, response = log_in("boss", PASSWORD, address="127.0.0.8")
    assert response.status_code == 302
    assert is_logged_in(browser)


def test_staff_lift_a_lockout_in_the_back_office(boss: User, django_user_model: type[User]) -> None:
    for _ in range(LIMIT):
        log_in("boss", "wrong", address="127.0.0.9")
    attempt = AccessAttempt.objects.get(username="boss")
    colleague = Client()
    colleague.force_login(superuser.make(username="ops"))
    listing = colleague.get("/admin/axes/accessattempt/?locked_out=yes")
    assert listing.status_code == 200
    assert [a.username for a in listing.context["cl"].result_list] == ["boss"]
    lifted = colleague.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert lifted.status_code == 302
    assert not AccessAttempt.objects.exists()
    browser, response = log_in("boss", PASSWORD, address="127.0.0.9")
    assert response.status_code == 302
    assert is_logged_in(browser)


def test_without_staff_at_hand_a_command_lifts_a_users_lock(boss: User) -> None:
    for _ in range(LIMIT):
        log_in("boss", "wrong")
    call_command("axes_reset_username", "boss", verbosity=0)
    assert log_in("boss", PASSWORD)[1].status_code == 302
