"""ASGI entry point: what gunicorn's ASGI workers and uvicorn serve."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.settings")
django_application = get_asgi_application()

from pagila_site.limits import BodySizeLimit  # noqa: E402 - needs the settings loaded above

# Oversized bodies are refused before Django spools them (see BodySizeLimit).
application = BodySizeLimit(django_application)
