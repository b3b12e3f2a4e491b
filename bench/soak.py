"""Soak: a 60-second mixed load on `make serve` (loopback), checked for errors, leaks and doubles.

Run `make soak` (or `python -m bench.soak --help`). It starts the fake model and `make serve`
(DEBUG=false) on the configured database, warms up, then lets `--clients` clients mix film pages,
film lists, searches, rental create+return on a small shared pool of copies (so clerks collide
and get 409s) and AI asks streamed from the fake model, for `--duration` seconds. It reports
requests and 5xx per kind, latencies, double rentals (SQL over every rental created), database
connections (pg_stat_activity) and the workers' memory before, during and after, then returns
and deletes every rental it created, with its payment. Exit status 1 on any 5xx, failed stream,
connection error or double rental.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench.common import (  # noqa: E402
    BENCH_ENV,
    HttpConnection,
    Server,
    machine_line,
    percentile,
    serve,
    write_report,
)
from devtools.fake_llm import FakeLLM  # noqa: E402
from pagila_site.api.models import IdempotencyKey  # noqa: E402
from rentals.models import Customer, Inventory, Payment, Rental  # noqa: E402

KEY_PREFIX = "soak-"
TOKEN = {"Authorization": f"Bearer {BENCH_ENV['API_TOKEN']}"}
JSON = {"Content-Type": "application/json"}
# How often each kind of request is picked (relative weights).
MIX = {"film": 30, "list": 15, "search": 20, "rental": 25, "ask": 10}
SEARCHES = ["dinosaur", "mad scientist", "drama -teacher", "boat or car", "epic", "astronaut"]
CATEGORIES = ["", "comedy", "action", "documentary", "horror"]
QUESTIONS = ["Which comedies are rated G?", "Tell me about ACADEMY DINOSAUR", "Any space films?"]
# Seconds between samples of connections and memory.
SAMPLE_EVERY = 10.0
# The server's application_name (libpq's PGAPPNAME), so its sessions are told from anyone else's.
APP_NAME = "pagila-soak"


@dataclass
class Sample:
    """Sessions on the database and the workers' resident memory at one moment of the load."""

    at: float
    connections: int
    rss_mb: float


@dataclass
class Tally:
    """What the clients saw: statuses and latencies per kind, anything that went wrong, samples."""

    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    latency_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter[str] = field(default_factory=Counter)
    samples: list[Sample] = field(default_factory=list)

    def record(self, kind: str, status: int, started: float) -> None:
        self.statuses[kind][status] += 1
        self.latency_ms[kind].append((time.perf_counter() - started) * 1000)

    def server_errors(self) -> int:
        return sum(n for counts in self.statuses.values() for s, n in counts.items() if s >= 500)


@dataclass
class Pools:
    copies: list[int]
    customers: list[int]


async def one_request(conn: HttpConnection, kind: str, pools: Pools, tally: Tally) -> None:
    started = time.perf_counter()
    if kind == "film":
        status, _ = await conn.request("GET", f"/api/v1/films/{random.randint(1, 1000)}")
    elif kind == "list":
        status, _ = await conn.request("GET", f"/api/v1/films?skip={random.randint(0, 990)}")
    elif kind == "search":
        query = urlencode(
            {"search": random.choice(SEARCHES), "category": random.choice(CATEGORIES)}
        )
        status, _ = await conn.request("GET", f"/api/v1/films?{query}")
    elif kind == "rental":
        return await rent_and_return(conn, pools, tally)
    else:
        return await ask(conn, tally)
    tally.record(kind, status, started)


async def rent_and_return(conn: HttpConnection, pools: Pools, tally: Tally) -> None:
    body = {"inventory_id": random.choice(pools.copies), "staff_id": random.choice([1, 2])}
    headers = TOKEN | JSON
    if random.random() < 0.5:
        headers |= {"Idempotency-Key": f"{KEY_PREFIX}{uuid.uuid4().hex}"}
    path = f"/api/v1/customers/{random.choice(pools.customers)}/rentals"
    started = time.perf_counter()
    status, data = await conn.request("POST", path, json.dumps(body).encode(), headers)
    tally.record("rental create", status, started)
    if status == 201:
        rental_id = json.loads(data)["rental_id"]
        started = time.perf_counter()
        status, _ = await conn.request("POST", f"/api/v1/rentals/{rental_id}/return", b"", TOKEN)
        tally.record("rental return", status, started)
        if status != 200:
            tally.failures[f"rental return {status}"] += 1
    elif status != 409:  # 409: another clerk has the copy out, as in a real shop
        tally.failures[f"rental create {status}"] += 1


async def ask(conn: HttpConnection, tally: Tally) -> None:
    query = urlencode({"question": random.choice(QUESTIONS)})
    started = time.perf_counter()
    status, body = await conn.request("GET", f"/api/v1/ai/ask?{query}")
    tally.record("ask", status, started)
    events = [block.split("\n", 1)[0] for block in body.decode().strip().split("\n\n")]
    if status == 200 and events[-1] != "event: complete":
        tally.failures[f"ask ended with {events[-1]!r}"] += 1


async def client(url: str, deadline: float, pools: Pools, tally: Tally) -> None:
    kinds, weights = list(MIX), list(MIX.values())
    conn = await HttpConnection.open(url)
    try:
        while time.monotonic() < deadline:
            kind = random.choices(kinds, weights)[0]
            try:
                await one_request(conn, kind, pools, tally)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                tally.failures[f"{kind}: {exc.__class__.__name__}"] += 1
                conn.close()
                conn = await HttpConnection.open(url)
    finally:
        conn.close()


def database_connections() -> int:
    """The soaked server's sessions on the database (pg_stat_activity, by application_name)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [APP_NAME],
        )
        return int(cursor.fetchone()[0])


def delete_rentals_after(last_rental: int, key_prefix: str) -> None:
    """Delete the rentals made after `last_rental`, the payments their returns recorded, and the
    idempotency keys starting with `key_prefix`.
    """
    Payment.objects.filter(rental_id__gt=last_rental).delete()
    Rental.objects.filter(rental_id__gt=last_rental).delete()
    IdempotencyKey.objects.filter(key__startswith=key_prefix).delete()


def double_rentals(since: int) -> int:
    """Rentals created since rental `since` whose time out overlaps another rental of the copy."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM rental new JOIN rental other "
            "ON other.inventory_id = new.inventory_id AND other.rental_id <> new.rental_id "
            "WHERE new.rental_id > %s AND tstzrange(new.rental_date, new.return_date) "
            "&& tstzrange(other.rental_date, other.return_date)",
            [since],
        )
        return int(cursor.fetchone()[0])


async def sampler(server: Server, deadline: float, tally: Tally) -> None:
    started = time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(min(SAMPLE_EVERY, max(0.0, deadline - time.monotonic())))
        count = await asyncio.to_thread(database_connections)
        rss = server.workers_rss() / 2**20
        tally.samples.append(Sample(time.monotonic() - started, count, rss))


async def load(server: Server, seconds: float, pools: Pools, clients: int) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    tasks = [client(server.url, deadline, pools, tally) for _ in range(clients)]
    await asyncio.gather(*tasks, sampler(server, deadline, tally))
    return tally


def report(tally: Tally, args: argparse.Namespace, figures: dict[str, object]) -> str:
    lines = [
        f"soak, {machine_line()}",
        f"`make serve` with {args.workers or os.cpu_count()} workers, {args.clients} clients x "
        f"{args.duration:g} s after a {args.warm_up:g} s warm-up; fake model for the AI asks",
        "",
        f"{'kind':<15}{'requests':>9}{'5xx':>6}{'p50 ms':>9}{'p99 ms':>9}  statuses",
    ]
    for kind in sorted(tally.statuses):
        counts, ms = tally.statuses[kind], tally.latency_ms[kind]
        errors = sum(n for s, n in counts.items() if s >= 500)
        statuses = " ".join(f"{s}:{n}" for s, n in sorted(counts.items()))
        lines.append(
            f"{kind:<15}{sum(counts.values()):>9}{errors:>6}{percentile(ms, 50):>9.1f}"
            f"{percentile(ms, 99):>9.1f}  {statuses}"
        )
    lines += ["", "samples (seconds in: database connections, workers' RSS MB):"]
    lines += [f"  {s.at:5.1f}: {s.connections}, {s.rss_mb:.1f}" for s in tally.samples]
    lines += [""] + [f"{name}: {value}" for name, value in figures.items()]
    lines.append(f"failures: {dict(tally.failures) or 'none'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (60)")
    parser.add_argument("--warm-up", type=float, default=5.0, help="seconds before measuring (5)")
    parser.add_argument("--clients", type=int, default=16, help="simultaneous clients (16)")
    parser.add_argument("--workers", type=int, default=0, help="server workers (Makefile's)")
    parser.add_argument("--copies", type=int, default=40, help="copies the clerks share (40)")
    args = parser.parse_args()

    last_rental = Rental.objects.order_by("-rental_id").values_list("rental_id", flat=True)[0]
    copies = Inventory.objects.in_stock().order_by("pk").values_list("pk", flat=True)
    pools = Pools(
        list(copies[: args.copies]),
        list(Customer.objects.filter(active=1).values_list("pk", flat=True)),
    )
    with FakeLLM(model="fake-model", chunks=8, chunk_delay=0.01) as fake:
        env = {
            "OPENAI_BASE_URL": fake.base_url,
            "OPENAI_API_KEY": "soak",
            "OPENAI_MODEL": "fake-model",
            "AI_RATE_LIMIT": "off",
            "PGAPPNAME": APP_NAME,
        }
        with serve(workers=args.workers, env=env) as server:
            try:
                warm_up = asyncio.run(load(server, args.warm_up, pools, args.clients))
                workers = server.workers()
                before = {"connections": database_connections(), "rss": server.workers_rss()}
                tally = asyncio.run(load(server, args.duration, pools, args.clients))
                time.sleep(2.0)  # let the last requests hand their connections back
                after = {"connections": database_connections(), "rss": server.workers_rss()}
                doubles = double_rentals(last_rental)
                created = Rental.objects.filter(rental_id__gt=last_rental)
                still_open = created.filter(return_date__isnull=True).count()
                total_created = created.count()
            finally:
                delete_rentals_after(last_rental, KEY_PREFIX)
        open_upstream = fake.open_connections
    pool = settings.DATABASES["default"]["OPTIONS"].get("pool") or {}
    ceiling = len(workers) * pool.get("max_size", 1)
    figures = {
        "5xx": tally.server_errors(),
        "5xx during the warm-up": warm_up.server_errors(),
        "rentals created (all returned, then deleted)": total_created,
        "left open": still_open,
        "double rentals": doubles,
        "server's database connections before/after": (
            f"{before['connections']} / {after['connections']} (pool ceiling {ceiling})"
        ),
        "workers' RSS MB before/after": f"{before['rss'] / 2**20:.1f} / {after['rss'] / 2**20:.1f}",
        "model responses still open": open_upstream,
    }
    text = report(tally, args, figures)
    print(text)
    write_report("soak", text)
    bad = tally.server_errors() or warm_up.server_errors() or tally.failures or warm_up.failures
    bad = bad or doubles or still_open or open_upstream
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
