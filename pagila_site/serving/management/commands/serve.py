"""manage.py serve: the development ASGI server (uvicorn), so SSE streams in development too."""

from __future__ import annotations

import socket
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pagila_site.serving.workers import AsyncioUvicornWorker


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Serve the ASGI application with uvicorn on 127.0.0.1:$PORT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not port_is_free(host, port):
            raise CommandError(f"port {port} on {host} is in use; stop what uses it or set PORT")
        self.stdout.write(f"Pagila API on http://{host}:{port}/ (Ctrl-C stops it)")
        uvicorn.run(
            "pagila_site.config.asgi:application",
            host=host,
            port=port,
            log_level=settings.LOG_LEVEL.lower(),
            lifespan="off",
            # The event loop and parser of `make serve`'s workers (AsyncioUvicornWorker).
            **AsyncioUvicornWorker.CONFIG_KWARGS,
        )
