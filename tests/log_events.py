"""What the project logged: the structlog events pytest's caplog captured, as dictionaries, or
the JSON lines the server prints."""

from __future__ import annotations

import logging
from typing import Any

import pytest


def structlog_events(
    caplog: pytest.LogCaptureFixture, logger: str | None = None, **fields: Any
) -> list[dict[str, Any]]:
    """The events logged (by `logger`, when given) that carry all these fields, in order."""
    return [
        record.msg
        for record in caplog.records
        if isinstance(record.msg, dict)
        and (logger is None or record.name == logger)
        and all(record.msg.get(name) == value for name, value in fields.items())
    ]


def logged(caplog: pytest.LogCaptureFixture, **fields: Any) -> bool:
    """True when a structlog event with all these fields was logged."""
    return bool(structlog_events(caplog, **fields))


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
