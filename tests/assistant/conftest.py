"""Fixtures for the assistant's tests: no conversations to start with; for the page's browser
tests, Chromium for a module and the page per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from assistant.models import Conversation
from tests.assistant_page import RECORDER
from tests.browser import launch_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium for one module's browser tests (async tests cannot run beside it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server_url: str) -> Iterator[Page]:
    """The assistant page on the session's live server, in a fresh context with the recorder."""
    context = browser.new_context(base_url=live_server_url)
    context.add_init_script(RECORDER)
    tab = context.new_page()
    tab.goto("/assistant/")
    yield tab
    context.close()


@pytest.fixture
def no_conversations(db: None) -> None:
    """No conversation in the test database, for tests that count them (undone with the test).

    The browser tests' live server commits the conversations it stores, and which test files a
    worker runs before (`make test` spreads files over workers) varies.
    """
    Conversation.objects.all().delete()  # their turns go with them
