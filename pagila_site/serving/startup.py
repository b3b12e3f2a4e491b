"""A server process once it has loaded the application: every view imported, the heap frozen,
its limit on open files lifted."""

from __future__ import annotations

import contextlib
import gc
import resource
from importlib import import_module

from django.conf import settings
from django.urls import get_resolver

# The garbage collector's thresholds in a server process (Python's default: 700, 10, 10): young
# collections as usual, a full one at most every 100th middle one instead of every 10th (see
# load_views_and_freeze_heap).
GC_THRESHOLDS = (700, 10, 100)


def load_views_and_freeze_heap() -> None:
    """Import the URLconf (Django waits for the first request) and the modules the views import
    on first use (`SERVER_PRELOAD`), then `gc.freeze()` what is loaded and space out collections.

    A full garbage collection walks every tracked object; Django, DRF, Semantic Kernel and the
    openai SDK are a quarter of a million of them, about 100 ms of a stalled event loop each
    time one runs under load (every stream and request of the worker waits). Frozen, they are
    left out of every later collection, which then sees only the objects of requests in flight.
    Under gunicorn this runs once in the master (`preload_app`), so the workers it forks share
    the frozen pages and inherit the thresholds.

    The objects of requests in flight are still collected, and with a thousand AI streams they
    were many: Semantic Kernel's tool-calling loop kept every chunk of an answer until it ended
    (assistant.streaming.model_rounds now keeps only tool-call chunks), so they outlived young
    collections, and full collections, which walk all of them, kept coming round. At Python's
    default thresholds the collector then took 30% of a worker's CPU under 1,000 streams
    (py-spy --native); with full collections ten times rarer the streams'
    server CPU fell from 48.5-50.7 to 41.0-46.5 s (bench/RESULTS.md). Young collections stay as
    frequent and as short as Python's default, so a request's latency does not grow: a young
    generation of 50,000 (36.9-40.8 s) raised the rental cycle's p99. Nearly all garbage is
    freed by reference counting; only cycles that survive a young collection wait longer.
    """
    get_resolver().url_patterns  # noqa: B018 - the attribute's side effect: import every view
    for module in settings.SERVER_PRELOAD:
        import_module(module)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def lift_open_files_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit; returns the new limit.

    Each stream holds two descriptors, the client's socket and the model's, and the database
    pool's connections come on top: a worker serving 500 of 1,000 streams needs more than the
    1,024 that many systems set as the soft limit, and past it no new connection is accepted
    (asyncio logs EMFILE and stops accepting for a second at a time). Under gunicorn this runs
    in the master, before the fork, so every worker inherits it.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        # Where the kernel refuses the hard limit (macOS's "unlimited"), the soft one stays.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
