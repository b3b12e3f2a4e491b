"""The project's settings with Django's own middleware classes instead of the inline ones."""

from pagila_site.config.settings import *  # noqa: F403
from pagila_site.config.settings import MIDDLEWARE

STOCK = {
    "pagila_site.serving.inline_middleware.SessionMiddleware": (
        "django.contrib.sessions.middleware.SessionMiddleware"
    ),
    "pagila_site.serving.inline_middleware.CommonMiddleware": (
        "django.middleware.common.CommonMiddleware"
    ),
    "pagila_site.serving.inline_middleware.AuthenticationMiddleware": (
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    ),
    "pagila_site.serving.inline_middleware.MessageMiddleware": (
        "django.contrib.messages.middleware.MessageMiddleware"
    ),
}
MIDDLEWARE = [STOCK.get(name, name) for name in MIDDLEWARE]
