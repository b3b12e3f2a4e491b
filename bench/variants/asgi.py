"""ASGI applications, each without one override (`make serve ASGI_APP=bench.variants.asgi:NAME`)."""

from __future__ import annotations

from typing import Any

import django

django.setup(set_prefix=False)  # the settings named by DJANGO_SETTINGS_MODULE

from django.core.handlers.asgi import ASGIHandler  # noqa: E402

from pagila_site.serving.asgi_handler import OneHopASGIHandler  # noqa: E402
from pagila_site.serving.body_limit import BodySizeLimit  # noqa: E402
from pagila_site.serving.request_threads import ReusedRequestThreads  # noqa: E402
from pagila_site.serving.startup import load_views_and_freeze_heap  # noqa: E402


class OneHopWithDjangosThreads(OneHopASGIHandler):
    """The one-hop handler, but async views get Django's new thread per request."""

    def __init__(self) -> None:
        super().__init__()
        self.async_path: Any = ASGIHandler.__call__.__get__(self)


# Django's own handler: every sync part of a request is a thread hand-off.
django_handler = BodySizeLimit(ReusedRequestThreads(ASGIHandler()))
# One hop for sync views; async views on Django's per-request threads.
djangos_threads = BodySizeLimit(OneHopWithDjangosThreads())
# Nothing of ours between gunicorn and Django but the body limit.
stock = BodySizeLimit(ASGIHandler())  # type: ignore[arg-type]  # Django types scope as dict
load_views_and_freeze_heap()
