"""The gunicorn worker class that `make serve`, the Docker image and the live tests run."""

from __future__ import annotations

from typing import Any

from uvicorn_worker import UvicornWorker


class AsyncioUvicornWorker(UvicornWorker):
    """uvicorn's gunicorn worker on asyncio's own event loop (httptools parses HTTP), not uvloop.

    uvloop accepts one waiting connection per turn of its loop (`python -m bench.loop_accept`),
    so under a burst of 1,000 asks, whose streams make each turn long, connections waited in the
    listen queue for tens of seconds. asyncio's loop accepts every waiting connection each time
    the socket is readable. `make bench`, 2026-12-06: 1,000 streams 1.33x and 1.46x the peer
    with first-message p99 0.77x and 0.51x, against 0.99x and 1.09x with p99 1.08x on uvloop.
    Alternated with uvloop in one run, the rental cycle and the film pages served the same
    (bench/RESULTS.md). uvicorn documents subclassing the worker to set CONFIG_KWARGS.
    """

    CONFIG_KWARGS: dict[str, Any] = {
        **UvicornWorker.CONFIG_KWARGS,
        "loop": "asyncio",
        "http": "httptools",
    }


# Its `--worker-class` name: the Makefile's WORKER_CLASS default, the Dockerfile's and the live
# tests' (tests/pagila_site/test_workers.py checks that they agree).
WORKER_CLASS = f"{__name__}.{AsyncioUvicornWorker.__name__}"
