"""ASGI entry point: what gunicorn's ASGI workers and uvicorn serve."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.config.settings")
django.setup(set_prefix=False)

from pagila_site.serving.asgi_handler import OneHopASGIHandler  # noqa: E402 - needs the settings
from pagila_site.serving.body_limit import BodySizeLimit  # noqa: E402
from pagila_site.serving.startup import load_views_and_freeze_heap  # noqa: E402

# Oversized bodies are refused before Django spools them (see BodySizeLimit); requests for sync
# views cross to a thread once (see OneHopASGIHandler).
application = BodySizeLimit(OneHopASGIHandler())
# Last: what is loaded now stays out of garbage collections (see load_views_and_freeze_heap).
load_views_and_freeze_heap()
