"""Instructions per request through the served ASGI application, counted by callgrind.

On a shared machine, requests per second and CPU milliseconds swing with whatever else runs;
callgrind counts the instructions a process executes, which do not. This runs one scenario
`--requests` times through `pagila_site.config.asgi.application` in this process (its event
loop, its request threads; no sockets), under `valgrind --tool=callgrind`, once with a few
requests and once with many, and prints the difference per request: start-up and warm-up cancel
out. Compare two commits by running it in each checkout (`make bench-instructions` in both).

Scenarios: `ask-400` (GET /api/v1/ai/ask without a question: an async API view's whole path,
with its thread hand-offs), `new-page` (GET /api/v1/films with a new query string each time:
one uncached page), `rental-cycle` (a rental created and returned, with their SQL functions; the
rentals made are deleted afterwards).

Options go through BENCH_INSTRUCTIONS_ARGS; `-h` lists them. Run one at a time per database: the
rental cycle rents the first copy in stock.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Coroutine, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_ENV, machine_line, use_project_settings

Scenario = Callable[[int], Coroutine[Any, Any, None]]
TOTAL_LINE = re.compile(r"^summary:\s*(\d+)", re.MULTILINE)


async def call(method: str, path: str, query: str = "", body: bytes = b"") -> tuple[int, bytes]:
    """One request through the served ASGI application: its status and body."""
    application = served_application()
    sent: list[MutableMapping[str, Any]] = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.Future()  # the client stays until the response is sent
        raise AssertionError

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    headers = [
        (b"host", b"127.0.0.1"),
        (b"authorization", f"Bearer {BENCH_ENV['API_TOKEN']}".encode()),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    await application(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent)


@cache
def served_application() -> Any:
    """What pagila_site.config.asgi serves, without loading the assistant's SDKs up front
    (seconds of start-up that callgrind would slow fifty-fold; no scenario needs them).
    """
    import django

    django.setup(set_prefix=False)
    from pagila_site.serving.asgi_handler import served_application as application

    return application()


def expect(status: int, wanted: int, body: bytes) -> None:
    if status != wanted:
        raise SystemExit(f"expected {wanted}, got {status}: {body[:300]!r}")


async def ask_400(requests: int) -> None:
    for _ in range(requests):
        status, body = await call("GET", "/api/v1/ai/ask")
        expect(status, 400, body)


async def new_page(requests: int) -> None:
    for n in range(requests):
        status, body = await call("GET", "/api/v1/films", f"skip=20&limit=10&nocache={n}")
        expect(status, 200, body)


async def rental_cycle(requests: int) -> None:
    from asgiref.sync import sync_to_async

    from bench.soak import delete_rentals_after

    last, copy = await sync_to_async(newest_rental_and_a_copy_in_stock)()
    create = json.dumps({"inventory_id": copy, "staff_id": 1}).encode()
    try:
        for _ in range(requests):
            status, body = await call("POST", "/api/v1/customers/1/rentals", body=create)
            expect(status, 201, body)
            rental_id = json.loads(body)["rental_id"]
            status, body = await call("POST", f"/api/v1/rentals/{rental_id}/return")
            expect(status, 200, body)
    finally:
        await sync_to_async(delete_rentals_after)(last, "no idempotency keys here")


def newest_rental_and_a_copy_in_stock() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT max(rental_id) FROM rental), "
            "(SELECT min(inventory_id) FROM inventory WHERE inventory_in_stock(inventory_id))"
        )
        last, copy = cursor.fetchone()
    return int(last), int(copy)


SCENARIOS: dict[str, Scenario] = {
    "ask-400": ask_400,
    "new-page": new_page,
    "rental-cycle": rental_cycle,
}


def run_scenario(name: str, requests: int) -> None:
    """The child: the served application, `requests` of the scenario, nothing printed."""
    os.environ.update(BENCH_ENV)
    os.environ.setdefault("AI_RATE_LIMIT", "off")
    use_project_settings()
    asyncio.run(SCENARIOS[name](requests))


def instructions(name: str, requests: int) -> int:
    """Instructions the child executes (all its threads) running `requests` of the scenario."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-m",
            "bench.instructions",
            "--child",
            name,
            "--requests",
            str(requests),
        ]
        child = subprocess.run(  # noqa: S603 - our own argv
            command, check=False, capture_output=True, text=True
        )
        if child.returncode != 0:
            raise SystemExit(f"{name} failed under callgrind:\n{child.stderr[-2000:]}")
        found = TOTAL_LINE.search(out.read_text(errors="replace"))
        if found is None:
            raise SystemExit(f"no total in {out}")
        return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scenarios", nargs="*", choices=[*SCENARIOS, []], default=[], help="default: all three"
    )
    parser.add_argument("--few", type=int, default=20, help="requests of the short run (20)")
    parser.add_argument("--many", type=int, default=120, help="requests of the long run (120)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_scenario(args.child, args.requests)
        return 0
    print(f"Instructions per request (callgrind), {machine_line()}")
    for name in args.scenarios or SCENARIOS:
        few, many = instructions(name, args.few), instructions(name, args.many)
        per_request = (many - few) / (args.many - args.few)
        print(f"{name:14} {per_request / 1e6:8.3f} M instructions per request")
    return 0


if __name__ == "__main__":
    sys.exit(main())
