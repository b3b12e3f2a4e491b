"""Fixtures for the security tests: a log capture in the JSON lines the server prints."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog

from tests.log_events import JsonLines


@pytest.fixture
def log_lines() -> Iterator[JsonLines]:
    """The JSON lines the project's console handler would print, at DEBUG, while a test runs."""
    root = logging.getLogger()
    formatter = next(
        handler.formatter
        for handler in root.handlers
        if isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter)
    )
    handler = JsonLines(formatter)
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
