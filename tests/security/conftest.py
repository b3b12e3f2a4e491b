"""Fixtures for the security tests: the assistant's fake model and a log capture in JSON lines."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog

from tests.assistant.conftest import fake, fake_server, model, offline  # noqa: F401 - fixtures


class JsonLines(logging.Handler):
    """Every log record of the process, formatted exactly as the server writes it."""

    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


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
