"""The structlog events a test captured with pytest's caplog, as the event dictionaries."""

from __future__ import annotations

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
