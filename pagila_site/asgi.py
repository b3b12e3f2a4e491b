"""ASGI entry point: what gunicorn's ASGI workers and uvicorn serve."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.settings")
application = get_asgi_application()
