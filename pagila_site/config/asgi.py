"""ASGI entry point: what gunicorn's ASGI workers and uvicorn serve."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.config.settings")
django.setup(set_prefix=False)

from pagila_site.serving.asgi_handler import served_application  # noqa: E402 - needs the settings
from pagila_site.serving.startup import (  # noqa: E402
    lift_open_files_limit,
    load_views_and_freeze_heap,
)

# Oversized bodies refused before Django spools them, requests for sync views in one thread hop
# (see served_application).
application = served_application()
# A thousand streams need more descriptors than many systems allow a process by default.
lift_open_files_limit()
# Last: what is loaded now stays out of garbage collections (see load_views_and_freeze_heap).
load_views_and_freeze_heap()
