"""gunicorn's configuration (`--config python:pagila_site.serving.gunicorn_conf`): settings first.

gunicorn imports this module in its master process before it forks a worker. Loading the
project's settings here means a setting that stops the project (production without real secrets)
stops gunicorn at once with that one-line error and a non-zero exit, instead of every worker
failing and gunicorn forking the next one, forever. Importing the settings starts nothing.

`preload_app`: the master then imports the application once (Django, every view, Semantic
Kernel and the openai SDK: about 2 CPU-seconds) and forks workers that share it, instead of
each worker importing it again; `load_views_and_freeze_heap` freezes that heap before the fork,
so the shared pages stay shared. Nothing opens a database connection or a thread at import.
"""

from __future__ import annotations

import importlib
import os
import socket
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.config.settings")
importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])

preload_app = True

# Each worker listens on a socket of its own on the same port (SO_REUSEPORT), and the kernel
# spreads new connections over them. On one shared socket the worker that wakes first accepts
# a whole burst of connections: 16 keep-alive clients ended 14 on one worker and 2 on the other,
# whose core then idled while the first one's clients queued (bench/RESULTS.md, issue 14).
reuse_port = True

# The heartbeat a worker must send the master. uvicorn's worker sends it from its event loop
# every timeout/2 seconds, so with gunicorn's default (30) a loop that falls 15 s behind had
# its worker killed with every open stream: 1,000 asks at once on a busy 2-CPU machine did
# that (WORKER TIMEOUT 30-34 s after start, hundreds of streams cut; bench/RESULTS.md, issue 14).
# A worker that hangs for good is still replaced, after two minutes.
timeout = 120


def on_starting(server: Any) -> None:
    """In the master, before any socket exists: a port already in use stops gunicorn at once.

    With reuse_port the workers bind after they fork, so on a busy port each worker would fail
    and be forked again, forever; a plain bind here fails as any second server's would, with
    gunicorn's own "Connection in use" line and exit status 1. Unix sockets, inherited file
    descriptors and port 0 cannot be shared this way (each worker would get its own file or
    port): for those the master binds one socket, as without reuse_port.
    """
    addresses = server.cfg.address
    if not all(isinstance(address, tuple) and address[1] for address in addresses):
        server.cfg.set("reuse_port", False)
        return
    for host, port in addresses:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as error:
                server.log.error("Connection in use: %s (%s)", (host, port), error.strerror)
                sys.exit(1)
