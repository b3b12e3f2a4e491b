"""ASGI entry point: what gunicorn's ASGI workers and uvicorn serve."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.config.settings")
django.setup(set_prefix=False)

from pagila_site.serving.asgi_handler import served_application  # noqa: E402 - needs the settings
from pagila_site.serving.startup import load_views_and_freeze_heap  # noqa: E402

# Oversized bodies refused before Django spools them, requests for sync views in one thread hop
# (see served_application).
application = served_application()
# Last: what is loaded now stays out of garbage collections (see load_views_and_freeze_heap).
load_views_and_freeze_heap()
