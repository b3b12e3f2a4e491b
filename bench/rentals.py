"""Benchmark of the rental create+return cycle against a `make serve`-style server on loopback.

Run `make bench-rentals` (or `python -m bench.rentals --help`). It starts gunicorn with uvicorn
workers (DEBUG=false, a throwaway SECRET_KEY and API_TOKEN) on the configured database, lets
`--concurrency` clients each rent and return their own in-stock copies for `--duration` seconds,
prints creations per second and p50/p99 latencies (also written to bench/out/rentals.txt), then
deletes every rental it created (and its idempotency keys) so the database keeps Pagila's facts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path
from typing import Any

import django
import httpx

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.settings")
django.setup()

from django.conf import settings  # noqa: E402

from rentals.idempotency import IdempotencyKey  # noqa: E402
from rentals.models import Customer, Inventory, Rental  # noqa: E402
from tests.live import running_server  # noqa: E402

KEY_PREFIX = "bench-rentals-"
OUT_FILE = Path(__file__).resolve().parent / "out" / "rentals.txt"
logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass
class Results:
    create_ms: list[float] = field(default_factory=list)
    return_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str, status: int) -> None:
        label = f"{what} {status}"
        self.errors[label] = self.errors.get(label, 0) + 1


def percentile(samples: list[float], pct: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


async def clerk(
    client: httpx.AsyncClient,
    *,
    copies: list[int],
    customers: list[int],
    deadline: float,
    results: Results,
    keys: bool,
) -> None:
    """Rent and return this clerk's own copies, one after another, until the deadline."""
    for copy, customer in zip(cycle(copies), cycle(customers), strict=False):
        if time.perf_counter() >= deadline:
            return
        headers = {"Idempotency-Key": KEY_PREFIX + secrets.token_hex(8)} if keys else {}
        started = time.perf_counter()
        created = await client.post(
            f"/api/v1/customers/{customer}/rentals",
            json={"inventory_id": copy, "staff_id": 1},
            headers=headers,
        )
        results.create_ms.append((time.perf_counter() - started) * 1000)
        if created.status_code != 201:
            results.error("create", created.status_code)
            continue
        started = time.perf_counter()
        returned = await client.post(f"/api/v1/rentals/{created.json()['rental_id']}/return")
        results.return_ms.append((time.perf_counter() - started) * 1000)
        if returned.status_code != 200:
            results.error("return", returned.status_code)


async def run_clients(
    url: str, token: str, copies: list[int], customers: list[int], args: argparse.Namespace
) -> tuple[Results, float]:
    results = Results()
    limits = httpx.Limits(max_connections=args.concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=limits, timeout=30
    ) as client:
        started = time.perf_counter()
        deadline = started + args.duration
        await asyncio.gather(
            *(
                clerk(
                    client,
                    copies=copies[i :: args.concurrency],
                    customers=customers[i :: args.concurrency],
                    deadline=deadline,
                    results=results,
                    keys=args.idempotency_keys,
                )
                for i in range(args.concurrency)
            )
        )
        elapsed = time.perf_counter() - started
    return results, elapsed


def report(results: Results, elapsed: float, args: argparse.Namespace) -> dict[str, Any]:
    created = len(results.create_ms) - sum(
        n for label, n in results.errors.items() if label.startswith("create")
    )
    return {
        "duration_s": round(elapsed, 2),
        "concurrency": args.concurrency,
        "server_workers": args.workers,
        "idempotency_keys": args.idempotency_keys,
        "creations": created,
        "creations_per_s": round(created / elapsed, 1),
        "create_p50_ms": round(percentile(results.create_ms, 50), 2),
        "create_p99_ms": round(percentile(results.create_ms, 99), 2),
        "return_p50_ms": round(percentile(results.return_ms, 50), 2),
        "return_p99_ms": round(percentile(results.return_ms, 99), 2),
        "errors": results.errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load (10)")
    parser.add_argument("--concurrency", type=int, default=16, help="simultaneous clients (16)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    parser.add_argument(
        "--idempotency-keys", action="store_true", help="send a fresh Idempotency-Key per rental"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON only")
    args = parser.parse_args()

    token = secrets.token_urlsafe(24)
    server_env = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "API_TOKEN": token}
    database = settings.DATABASES["default"]["NAME"]
    last_rental = Rental.objects.order_by("-rental_id").values_list("rental_id", flat=True)[0]
    copies = list(Inventory.objects.in_stock().order_by("pk").values_list("pk", flat=True))
    customers = list(Customer.objects.filter(active=1).values_list("pk", flat=True))
    try:
        with running_server(database_name=database, workers=args.workers, env=server_env) as url:
            results, elapsed = asyncio.run(run_clients(url, token, copies, customers, args))
    finally:
        removed, _ = Rental.objects.filter(rental_id__gt=last_rental).delete()
        IdempotencyKey.objects.filter(key__startswith=KEY_PREFIX).delete()
    summary = report(results, elapsed, args)
    if args.json:
        text = json.dumps(summary)
    else:
        lines = [f"rental create+return on {database}, cleaned up {removed} rentals:"]
        lines += [f"  {name:18} {value}" for name, value in summary.items()]
        text = "\n".join(lines)
    print(text)
    OUT_FILE.parent.mkdir(exist_ok=True)
    OUT_FILE.write_text(text + "\n")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
