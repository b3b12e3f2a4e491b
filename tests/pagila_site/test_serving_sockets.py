"""`make serve`'s workers each listen on a socket of their own (gunicorn_conf.reuse_port)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.live

LISTEN = "0A"  # the TCP state LISTEN in /proc/net/tcp


def listening_sockets(port: int) -> int:
    """How many IPv4 sockets of this machine listen on the port (Linux /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(
        1 for row in rows if row.split()[1].endswith(f":{port:04X}") and row.split()[3] == LISTEN
    )


def test_each_of_the_two_workers_listens_on_its_own_socket(live_server_url: str) -> None:
    # One shared socket let one worker accept a whole burst of keep-alive clients (14 of 16);
    # with a socket each, the kernel spreads new connections over the workers.
    port = urlsplit(live_server_url).port
    assert port is not None
    assert listening_sockets(port) == 2
