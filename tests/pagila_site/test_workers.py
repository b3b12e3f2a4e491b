"""The gunicorn worker class every server of ours runs (pagila_site.serving.workers)."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import uvloop
from gunicorn.config import Config
from gunicorn.glogging import Logger

from pagila_site.serving.workers import WORKER_CLASS, AsyncioUvicornWorker
from tests import live

ROOT = Path(__file__).resolve().parents[2]


def test_the_worker_runs_asyncios_event_loop_with_httptools() -> None:
    cfg = Config()
    worker = AsyncioUvicornWorker(
        age=1, ppid=os.getpid(), sockets=[], app=None, timeout=60, cfg=cfg, log=Logger(cfg)
    )
    assert worker.config.http == "httptools"
    make_loop = worker.config.get_loop_factory()
    assert make_loop is not None
    loop = make_loop()
    try:
        # asyncio's loop accepts a whole burst of waiting connections; uvloop's, one per turn.
        assert isinstance(loop, asyncio.BaseEventLoop)
        assert not isinstance(loop, uvloop.Loop)
    finally:
        loop.close()


def test_make_serve_the_image_and_the_live_tests_run_the_same_worker_class() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^WORKER_CLASS \?= (\S+)$", makefile, re.MULTILINE)[1] == WORKER_CLASS  # type: ignore[index]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"--worker-class (\S+)", dockerfile)[1] == WORKER_CLASS  # type: ignore[index]
    assert live.WORKER_CLASS == WORKER_CLASS
