"""Django's LOGGING_CONFIG: structlog and the standard library's logging, configured once."""

from __future__ import annotations

import logging.config
from typing import Any

import structlog


def configure(logging_settings: dict[str, Any]) -> None:
    """Route structlog through the standard library, then apply the LOGGING dictionary."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(logging_settings)
