"""A benchmark server's log, kept without its routine request lines (bench.common)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from django.test import Client

from bench.common import keep_notable_lines


@pytest.fixture
def served_log() -> Iterator[io.StringIO]:
    """What the server's console handler writes (the project's JSON formatter), as text."""
    [console] = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.mark.django_db
def test_the_kept_log_drops_requests_that_went_well_and_keeps_the_rest(
    client: Client, served_log: io.StringIO, tmp_path: Path
) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/no-such-endpoint").status_code == 404
    structlog.get_logger("pagila.request").info(
        "request", method="GET", path="/api/v1/films", status=503, duration_ms=1.0
    )
    structlog.get_logger("pagila.assistant").warning(
        "assistant stream failed", code="database_unavailable"
    )
    ours = served_log.getvalue().splitlines(keepends=True)
    peer = [
        'INFO:     127.0.0.1:50000 - "POST /api/v1/rentals/1/return HTTP/1.1" 200 OK\n',
        'INFO:     127.0.0.1:50000 - "GET /api/v1/films HTTP/1.1" 500 Internal Server Error\n',
        "INFO:     Started server process [4242]\n",
        "[2026-12-06 12:00:00 +0000] [4243] [CRITICAL] WORKER TIMEOUT (pid:4244)\n",
    ]
    log, kept = tmp_path / "server.log", tmp_path / "kept.log"
    log.write_text("".join(ours + peer))

    keep_notable_lines(log, kept)

    assert len(ours) == 4, ours  # the two requests' lines, the 503's and the warning
    assert kept.read_text().splitlines(keepends=True) == ours[2:] + peer[1:]
