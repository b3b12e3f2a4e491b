"""Benchmark of the rental create+return cycle against `make serve` on loopback.

Run `make bench-rentals` (or `python -m bench.rentals --help`). It starts `make serve` (DEBUG=false,
bench-only secrets) on the configured database and, `--repeat` times, lets `--concurrency`
clients each rent and return their own in-stock copies for `--duration` seconds. It prints
creations per second, p50/p99 latencies, the server's CPU time per cycle and a check that no copy
ever had two open rentals (also written to bench/out/rentals.txt), then deletes every rental it
created (with their payments and its idempotency keys) so the database keeps Pagila's facts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import time
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench.common import (  # noqa: E402
    BENCH_ENV,
    HttpConnection,
    cpu_seconds,
    database_backends_cpu,
    database_cpu_since,
    machine_line,
    median,
    percentile,
    serve,
    verdict,
    write_report,
)
from bench.soak import (  # noqa: E402 - the soak's check and clean-up, the same questions
    delete_rentals_after,
    double_rentals,
)
from rentals.models import Customer, Inventory, Rental  # noqa: E402

KEY_PREFIX = "bench-rentals-"
# The targets.
TARGET_CREATIONS_PER_S = 300.0
TARGET_P99_MS = 50.0


@dataclass
class Results:
    create_ms: list[float] = field(default_factory=list)
    return_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    server_cpu: float = 0.0
    database_cpu: float = 0.0  # the database's backends, during the load only
    client_cpu: float = 0.0

    def error(self, what: str, status: int) -> None:
        label = f"{what} {status}"
        self.errors[label] = self.errors.get(label, 0) + 1

    @property
    def creations(self) -> int:
        return len(self.create_ms) - sum(
            n for label, n in self.errors.items() if label.startswith("create")
        )

    def ms_per_cycle(self, cpu_seconds: float) -> float:
        """CPU seconds of the run as milliseconds per rental created."""
        return 1000 * cpu_seconds / max(self.creations, 1)


async def clerk(
    url: str,
    *,
    copies: list[int],
    customers: list[int],
    deadline: float,
    results: Results,
    keys: bool,
) -> None:
    """Rent and return this clerk's own copies, one after another, until the deadline."""
    connection = await HttpConnection.open(url)
    auth = {"Authorization": f"Bearer {BENCH_ENV['API_TOKEN']}"}
    try:
        for copy, customer in zip(cycle(copies), cycle(customers), strict=False):
            if time.perf_counter() >= deadline:
                return
            headers = {**auth, "Content-Type": "application/json"}
            if keys:
                headers["Idempotency-Key"] = KEY_PREFIX + secrets.token_hex(8)
            body = json.dumps({"inventory_id": copy, "staff_id": 1}).encode()
            started = time.perf_counter()
            status, created = await connection.request(
                "POST", f"/api/v1/customers/{customer}/rentals", body, headers
            )
            results.create_ms.append((time.perf_counter() - started) * 1000)
            if status != 201:
                results.error("create", status)
                continue
            rental_id = json.loads(created)["rental_id"]
            started = time.perf_counter()
            status, _ = await connection.request(
                "POST", f"/api/v1/rentals/{rental_id}/return", b"", auth
            )
            results.return_ms.append((time.perf_counter() - started) * 1000)
            if status != 200:
                results.error("return", status)
    finally:
        connection.close()


async def run_clients(
    url: str, copies: list[int], customers: list[int], args: argparse.Namespace
) -> Results:
    results = Results()
    started = time.perf_counter()
    deadline = started + args.duration
    await asyncio.gather(
        *(
            clerk(
                url,
                copies=copies[i :: args.concurrency],
                customers=customers[i :: args.concurrency],
                deadline=deadline,
                results=results,
                keys=args.idempotency_keys,
            )
            for i in range(args.concurrency)
        )
    )
    results.elapsed = time.perf_counter() - started
    return results


def one_run(url: str, server_pids: list[int], args: argparse.Namespace) -> tuple[Results, int]:
    last_rental = Rental.objects.order_by("-rental_id").values_list("rental_id", flat=True)[0]
    copies = list(Inventory.objects.in_stock().order_by("pk").values_list("pk", flat=True))
    customers = list(Customer.objects.filter(active=1).values_list("pk", flat=True))
    database_before = database_backends_cpu()
    connection.close()
    try:
        server_before, client_before = cpu_seconds(server_pids), time.process_time()
        results = asyncio.run(run_clients(url, copies, customers, args))
        results.server_cpu = cpu_seconds(server_pids) - server_before
        results.client_cpu = time.process_time() - client_before
        # Before the checks and the clean-up below, whose deletes are not the load's work.
        results.database_cpu = database_cpu_since(database_before)
        doubles = double_rentals(last_rental)
    finally:
        delete_rentals_after(last_rental, KEY_PREFIX)
    return results, doubles


def report(runs: list[tuple[Results, int]], args: argparse.Namespace) -> str:
    def figure(value: float, unit: str = "") -> str:
        return f"{value:.1f}{unit}"

    rows: list[dict[str, float]] = []
    for results, doubles in runs:
        rows.append(
            {
                "creations/s": results.creations / results.elapsed,
                "create p50 ms": percentile(results.create_ms, 50),
                "create p99 ms": percentile(results.create_ms, 99),
                "return p50 ms": percentile(results.return_ms, 50),
                "return p99 ms": percentile(results.return_ms, 99),
                "server CPU ms/cycle": results.ms_per_cycle(results.server_cpu),
                "PostgreSQL CPU ms/cycle": results.ms_per_cycle(results.database_cpu),
                "client CPU ms/cycle": results.ms_per_cycle(results.client_cpu),
                "double rentals": doubles,
                "errors": sum(results.errors.values()),
            }
        )
    lines = [
        f"rentals benchmark, {machine_line()}",
        f"`make serve` with {args.workers or os.cpu_count()} workers on "
        f"{settings.DATABASES['default']['NAME']}; {args.concurrency} clients x "
        f"{args.duration:g}s, each renting and returning its own copies"
        f"{', with Idempotency-Keys' if args.idempotency_keys else ''}; {len(runs)} runs",
        "",
        f"{'figure':<24}{'median':>9}  runs",
    ]
    for name in rows[0]:
        values = [row[name] for row in rows]
        lines.append(
            f"{name:<24}{figure(median(values)):>9}  {' '.join(figure(v) for v in values)}"
        )
    errors = {label: n for results, _ in runs for label, n in results.errors.items()}
    rate = median([row["creations/s"] for row in rows])
    p99 = median([max(row["create p99 ms"], row["return p99 ms"]) for row in rows])
    doubles = int(sum(row["double rentals"] for row in rows))
    lines += [
        "",
        f"errors: {errors or 'none'}",
        "; ".join(
            [
                verdict(
                    f"creations/s {rate:.0f}",
                    f">= {TARGET_CREATIONS_PER_S:.0f}",
                    rate >= TARGET_CREATIONS_PER_S,
                ),
                verdict(f"p99 {p99:.1f} ms", f"< {TARGET_P99_MS:.0f}", p99 < TARGET_P99_MS),
                verdict(f"double rentals {doubles}", "0", doubles == 0),
            ]
        ),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of load per run (8)")
    parser.add_argument("--repeat", type=int, default=3, help="runs (median)")
    parser.add_argument("--concurrency", type=int, default=16, help="simultaneous clients (16)")
    parser.add_argument("--workers", type=int, default=0, help="server workers (Makefile's)")
    parser.add_argument("--worker-class", default="", help="gunicorn worker class (Makefile's)")
    parser.add_argument(
        "--idempotency-keys", action="store_true", help="send a fresh Idempotency-Key per rental"
    )
    args = parser.parse_args()
    with serve(workers=args.workers, worker_class=args.worker_class) as server:
        pids = server.workers()
        runs = [one_run(server.url, pids, args) for _ in range(args.repeat)]
    text = report(runs, args)
    print(text)
    write_report("rentals", text)
    return 1 if any(results.errors or doubles > 0 for results, doubles in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
