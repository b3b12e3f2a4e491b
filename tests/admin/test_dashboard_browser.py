"""A manager opens the store dashboard from the admin index in Debian's Chromium: the charts draw
under the site's CSP, a screenshot is taken, and the numbers on screen are the ones SQL counts.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.admin.test_dashboard import (
    OVERDUE_PER_STORE,
    REVENUE_PER_MONTH,
    TOP_CATEGORIES,
    TOP_FILMS,
    per_store,
    rows,
)
from tests.baker_recipes import PASSWORD, superuser
from tests.browser import launch_chromium

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

# What the page's bars hold: [chart id, series, label, value, width drawn] for each one.
READ_BARS = """
() => [...document.querySelectorAll('section.dashboard-chart')].flatMap(section =>
    [...section.querySelectorAll('rect[data-value]')].map(bar => [
        section.id, bar.dataset.series, bar.dataset.label, bar.dataset.value,
        bar.getBoundingClientRect().width]))
"""


def console_problem(message: Any) -> list[str]:
    """A console message as a problem, but the browser's own favicon request the site lacks."""
    if message.location.get("url", "").endswith("/favicon.ico"):
        return []
    return [f"{message.type}: {message.text}"]


@pytest.fixture
def manager() -> tuple[str, str]:
    """A superuser's username and password (the user goes with the transactional flush)."""
    return superuser.make(username="manager").username, PASSWORD


def test_the_dashboard_draws_the_numbers_sql_counts(
    live_server_url: str, manager: tuple[str, str], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    username, password = manager
    problems: list[str] = []
    screenshot = tmp_path / "dashboard.png"
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda message: problems.extend(console_problem(message)))
            page.on("requestfailed", lambda request: problems.append(request.url))
            page.on(
                "response",
                lambda response: problems.append(response.url) if response.status >= 400 else None,
            )
            page.goto(f"{live_server_url}/admin/login/?next=/admin/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
            page.click("text=Store dashboard")
            page.wait_for_url("**/admin/dashboard/")
            page.screenshot(path=str(screenshot), full_page=True)
            bars: list[list[Any]] = page.evaluate(READ_BARS)
            chart_width = page.evaluate(
                "getComputedStyle(document.querySelector('.dashboard-chart')).maxWidth"
            )
        finally:
            browser.close()

    assert problems == []  # no CSP violation, no failed request, no script error
    assert chart_width == "780px"  # the dashboard's stylesheet arrived
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000
    drawn: dict[str, dict[tuple[str, str], str]] = {}
    for chart, series, label, value, width in bars:
        drawn.setdefault(chart, {})[(series, label)] = value
        assert width > 0, (chart, label)

    assert [(label, int(v)) for (_, label), v in drawn["top-films"].items()] == rows(TOP_FILMS)
    assert [(label, int(v)) for (_, label), v in drawn["top-categories"].items()] == rows(
        TOP_CATEGORIES
    )
    assert [(label, int(v)) for (_, label), v in drawn["overdue-per-store"].items()] == rows(
        OVERDUE_PER_STORE
    )
    revenue = {
        (label, series): Decimal(v) for (series, label), v in drawn["revenue-per-month"].items()
    }
    assert {key: value for key, value in revenue.items() if value} == per_store(REVENUE_PER_MONTH)
    daily = drawn["rentals-per-day"]
    assert sum(int(value) for value in daily.values()) == 16044
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM rental WHERE rental_date >= '2022-07-05' "
            "AND rental_date < '2022-07-06'"
        )
        july_5 = cursor.fetchone()[0]
    assert int(daily[("Store 1", "2022-07-05")]) + int(daily[("Store 2", "2022-07-05")]) == july_5
