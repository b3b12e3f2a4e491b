"""ASGI applications, each without one override (`make serve ASGI_APP=bench.variants.asgi:NAME`)."""

from __future__ import annotations

import django

django.setup(set_prefix=False)  # the settings named by DJANGO_SETTINGS_MODULE

from django.core.handlers.asgi import ASGIHandler  # noqa: E402

from pagila_site.serving.body_limit import BodySizeLimit  # noqa: E402
from pagila_site.serving.startup import load_views_and_freeze_heap  # noqa: E402

# Django's own handler: every sync part of a request is a thread hand-off.
django_handler = BodySizeLimit(ASGIHandler())  # type: ignore[arg-type]  # Django types scope as dict
load_views_and_freeze_heap()
