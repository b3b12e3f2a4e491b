"""How many waiting connections an event loop accepts per turn while each turn is busy.

A server with open streams spends a turn of its event loop on their queued work before it polls
again. This opens `--connections` connections at once to a server on loopback whose loop spends
`--busy-ms` of CPU per turn, and counts the turns until all are accepted, on uvloop (what
`uvicorn_worker.UvicornWorker` runs) and on asyncio's own loop (what our worker class runs, for
this reason: pagila_site/serving/workers.py). libuv, under uvloop, accepts one connection per
poll, so a burst waits in the listen queue for that many turns; asyncio accepts every waiting
connection each time the socket is readable. Usage: `.venv/bin/python -m bench.loop_accept -h`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import time
from collections.abc import Callable, Coroutine
from typing import Any

import uvloop


async def accept_burst(connections: int, busy_ms: float, timeout: float) -> tuple[int, int, float]:
    """(connections accepted, busy loop turns taken, seconds) for one burst."""
    accepted = 0

    class Count(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            nonlocal accepted
            accepted += 1

    loop = asyncio.get_running_loop()
    server = await loop.create_server(Count, "127.0.0.1", 0, backlog=2048)
    port = server.sockets[0].getsockname()[1]
    turns = 0

    async def busy() -> None:
        nonlocal turns
        while True:
            until = time.perf_counter() + busy_ms / 1000
            while time.perf_counter() < until:
                pass
            turns += 1
            await asyncio.sleep(0)

    spinner = asyncio.create_task(busy())
    clients = []
    for _ in range(connections):
        client = socket.socket()
        client.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            client.connect(("127.0.0.1", port))
        clients.append(client)
    started, first_turn = time.perf_counter(), turns
    while accepted < connections and time.perf_counter() - started < timeout:
        await asyncio.sleep(0)
    elapsed = time.perf_counter() - started
    spinner.cancel()
    for client in clients:
        client.close()
    server.close()
    return accepted, turns - first_turn, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200, help="burst size (200)")
    parser.add_argument("--busy-ms", type=float, default=50.0, help="CPU per loop turn (50)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait (5)")
    args = parser.parse_args()
    runners: dict[str, Callable[[Coroutine[Any, Any, tuple[int, int, float]]], Any]] = {
        "uvloop": uvloop.run,
        "asyncio": asyncio.run,
    }
    for name, run in runners.items():
        accepted, turns, elapsed = run(accept_burst(args.connections, args.busy_ms, args.timeout))
        print(
            f"{name:<8} accepted {accepted}/{args.connections} in {elapsed:.2f} s, "
            f"{turns} busy turns of {args.busy_ms:g} ms"
        )


if __name__ == "__main__":
    main()
