"""The project's settings with Django's own pool check: a ping before every lent connection."""

from pagila_site.config.settings import *  # noqa: F403
from pagila_site.config.settings import DATABASES

DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
