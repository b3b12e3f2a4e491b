"""Once a server process has loaded the application: every view imported, the heap frozen."""

from __future__ import annotations

import gc
from importlib import import_module

from django.conf import settings
from django.urls import get_resolver


def load_views_and_freeze_heap() -> None:
    """Import the URLconf (Django waits for the first request) and the modules the views import
    on first use (`SERVER_PRELOAD`), then `gc.freeze()` what is loaded.

    A full garbage collection walks every tracked object; Django, DRF, Semantic Kernel and the
    openai SDK are a quarter of a million of them, about 100 ms of a stalled event loop each
    time one runs under load (every stream and request of the worker waits). Frozen, they are
    left out of every later collection, which then sees only the objects of requests in flight.
    Under gunicorn this runs once in the master (`preload_app`), so the workers it forks share
    the frozen pages.
    """
    get_resolver().url_patterns  # noqa: B018 - the attribute's side effect: import every view
    for module in settings.SERVER_PRELOAD:
        import_module(module)
    gc.freeze()
