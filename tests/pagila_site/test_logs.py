"""The JSON lines the server prints: orjson's rendering says what the standard library's said."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from pagila_site.config.logs import json_line

EVENT = {
    "method": "POST",
    "path": "/api/v1/films/caf\u00e9\u2028",
    "status": 201,
    "duration_ms": 3.21,
    "nothing": None,
    "open": True,
    "parts": {"ids": [1, 2], "ratio": 0.5},
    "event": "request",
}


def test_a_line_holds_the_same_json_as_the_standard_librarys() -> None:
    line = json_line(EVENT)

    assert "\n" not in line
    assert json.loads(line) == json.loads(json.dumps(EVENT)) == EVENT
    assert list(json.loads(line)) == list(EVENT)  # the fields in the order they were logged


@pytest.mark.parametrize("refused", [{"big": 2**70}, {"keys": {1: "one"}}])
def test_what_orjson_refuses_is_written_by_the_standard_library(refused: dict[str, Any]) -> None:
    assert json_line(refused) == json.dumps(refused)


def test_an_object_json_cannot_hold_is_written_by_the_renderers_fallback() -> None:
    assert json.loads(json_line({"when": object}, default=repr)) == {"when": "<class 'object'>"}


def test_request_records_skip_the_caller_and_thread_lookups(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="pagila.request"):
        client.get("/healthz")

    [record] = [record for record in caplog.records if record.name == "pagila.request"]
    assert (record.pathname, record.lineno, record.threadName) == ("(unknown file)", 0, None)
    assert record.msg["path"] == "/healthz"  # type: ignore[index]  # structlog's event dict
