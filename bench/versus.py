"""`make bench`: Pagila API beside the peer, the same work in turns, as a table of ratios.

The peer is the seed plan's own stack (FastAPI + asyncpg + Semantic Kernel, bench/peer.py). Both
servers run at once with `--workers` processes each, on the same database (DATABASE_URL, or the
embedded server's socket) and the same fake model (bench/ai_model.py). `--repeat` times, each
comparison runs on ours, then on the peer: wrk on three film-list loads, `--concurrency` clients
renting and returning their own copies, `--streams` concurrent SSE asks read to the end. Prints
the medians as `| Work | Pagila API | Peer | Ratio |` (ours / peer) with the commit, date and
load average, the runs behind them and both servers' 5xx and double-rental checks (exit status 1
if one fails); writes bench/out/versus.txt. Rentals either server made are deleted afterwards.
Usage: `make bench DATABASE_URL=...` or `.venv/bin/python -m bench.versus -h`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django

setup_django()

from django.db import connection  # noqa: E402

from bench import ai_streams  # noqa: E402
from bench.common import (  # noqa: E402
    BENCH_DIR,
    Server,
    ai_server_env,
    cpu_seconds,
    database_backends_cpu,
    database_cpu_since,
    fake_model,
    machine_line,
    median,
    percentile,
    raise_open_files_limit,
    run_wrk,
    serve,
    write_report,
)
from bench.peer import database_url, serve_peer, versions  # noqa: E402
from bench.rentals import one_run  # noqa: E402

PAGE = "/api/v1/films?skip=20&limit=10"
# The film-list loads: row key, wrk path, Lua script. `unique_query.lua` adds `nocache=<new>`,
# which both servers ignore: a page our cache has never seen (the peer caches nothing).
FILMS = {
    "page": (PAGE, None),
    "category": (f"{PAGE}&category=Comedy", None),
    "new": (PAGE, "unique_query.lua"),
}


@dataclass
class Side:
    """One server under test: its figures per table row (one per run) and what went wrong."""

    name: str
    server: Server
    runs: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server_errors: Counter[str] = field(default_factory=Counter)  # 5xx (wrk: non-2xx) per work
    other_errors: Counter[str] = field(default_factory=Counter)  # 4xx, failed streams
    doubles: int = 0
    details: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def rows(args: argparse.Namespace) -> list[tuple[str, str, bool]]:
    """The table's rows: (key, work, lower is better), for the parts being run."""
    found = []
    if "films" in args.parts:
        found += [
            ("page", f"`GET {PAGE}`, the same page again, req/s", False),
            ("category", "the same with `category=Comedy`, req/s", False),
            ("new", "a page never asked before (limit 10, new query string), req/s", False),
            ("new_cpu", "the same, CPU ms per request (server + PostgreSQL)", True),
        ]
    if "rentals" in args.parts:
        found += [
            ("cycles", f"rent a copy and return it, {args.concurrency} clients, cycles/s", False),
            ("cycle_p99", "rent and return, p99 ms, the slower of the two", True),
            ("cycle_cpu", "the same, CPU ms per cycle (server + PostgreSQL)", True),
        ]
    for n in args.streams if "ai" in args.parts else []:
        found += [
            (f"sse{n}", f"{n:,} concurrent SSE asks, completed streams/s", False),
            (f"sse{n}_wall", f"{n:,} concurrent SSE asks, wall time s", True),
            (f"sse{n}_first", f"{n:,} concurrent SSE asks, first-message p99 ms", True),
        ]
    return found


def films(side: Side, repeat: int, *, key: str, args: argparse.Namespace) -> None:
    path, script = FILMS[key]
    url = side.server.url + path
    load = {
        "connections": args.connections,
        "script": BENCH_DIR / "wrk" / script if script else None,
    }
    if repeat == 0:  # every worker imports, connects and (ours) caches first
        run_wrk(url, duration=2, **load)
    processes = side.server.processes()
    server_before, database_before = cpu_seconds(processes), database_backends_cpu()
    result = run_wrk(url, duration=args.duration, **load)
    server_ms = 1000 * (cpu_seconds(processes) - server_before) / max(result.requests, 1)
    database_ms = 1000 * database_cpu_since(database_before) / max(result.requests, 1)
    side.runs[key].append(result.requests_per_second)
    side.runs[f"{key}_cpu"].append(server_ms + database_ms)
    side.server_errors[f"films {key} (non-2xx)"] += result.non_2xx
    side.details[key].append(
        f"{result.requests_per_second:.0f} req/s p50 {result.p50_ms:.1f} p99 {result.p99_ms:.1f} "
        f"ms, CPU {server_ms:.2f} + PostgreSQL {database_ms:.2f} ms/req"
    )


def rentals(side: Side, repeat: int, *, args: argparse.Namespace) -> None:
    load = argparse.Namespace(
        concurrency=args.concurrency, duration=args.duration, idempotency_keys=False
    )
    results, doubles = one_run(side.server.url, side.server.workers(), load)
    p99 = max(percentile(results.create_ms, 99), percentile(results.return_ms, 99))
    side.runs["cycles"].append(results.creations / results.elapsed)
    side.runs["cycle_p99"].append(p99)
    server_ms = results.ms_per_cycle(results.server_cpu)
    database_ms = results.ms_per_cycle(results.database_cpu)
    side.runs["cycle_cpu"].append(server_ms + database_ms)
    side.doubles += doubles
    for label, n in results.errors.items():  # "create 409", "return 500"
        errors = side.server_errors if int(label.split()[-1]) >= 500 else side.other_errors
        errors[f"rentals {label}"] += n
    side.details["cycles"].append(
        f"{side.runs['cycles'][-1]:.0f}/s create p50 {percentile(results.create_ms, 50):.1f} "
        f"return p50 {percentile(results.return_ms, 50):.1f} ms, CPU {server_ms:.2f} + "
        f"PostgreSQL {database_ms:.2f} ms/cycle, {doubles} double"
    )


def streams(side: Side, repeat: int, *, count: int, args: argparse.Namespace) -> None:
    if repeat == 0 and count == args.streams[0]:
        # Every worker builds its kernel (the peer imports Semantic Kernel at its first ask):
        # asks spread over 2 s, since one worker can accept a whole burst while the other sleeps.
        warm = argparse.Namespace(streams=8 * args.workers, ramp=2.0, timeout=args.timeout)
        asyncio.run(ai_streams.load(side.server, warm))
    load = argparse.Namespace(streams=count, ramp=args.ramp, timeout=args.timeout)
    run = asyncio.run(ai_streams.load(side.server, load))
    side.runs[f"sse{count}"].append(run.completed / run.wall)
    side.runs[f"sse{count}_wall"].append(run.wall)
    side.runs[f"sse{count}_first"].append(percentile(run.first_ms, 99))
    side.runs[f"sse{count}_open"].append(run.open_peak)  # not a row: checked in the report
    for why, n in run.failed.items():
        status = why.split()[-1]
        errors = (
            side.server_errors if status.isdigit() and int(status) >= 500 else side.other_errors
        )
        errors[f"{count} streams: {why}"] += n
    side.details[f"sse{count}"].append(
        f"{run.completed}/{count} done, {run.open_peak} open at once, first-message p50 "
        f"{percentile(run.first_ms, 50):.0f} ms"
    )


def plan(args: argparse.Namespace) -> list[Callable[[Side, int], None]]:
    """Each comparison as a step that measures one server once."""
    steps: list[Callable[[Side, int], None]] = []
    if "films" in args.parts:
        steps += [partial(films, key=key, args=args) for key in FILMS]
    if "rentals" in args.parts:
        steps.append(partial(rentals, args=args))
    if "ai" in args.parts:
        steps += [partial(streams, count=n, args=args) for n in args.streams]
    return steps


def same_pages(sides: list[Side]) -> str:
    """Whether both servers answer the measured film pages with the same JSON."""
    differ = []
    for key in ("page", "category"):
        bodies = []
        for side in sides:
            with urllib.request.urlopen(side.server.url + FILMS[key][0], timeout=10) as answer:  # noqa: S310
                bodies.append(json.load(answer))
        if bodies[0] != bodies[1]:
            differ.append(FILMS[key][0])
    return f"DIFFERENT JSON for {', '.join(differ)}" if differ else "the same JSON from both"


def loads(args: argparse.Namespace) -> str:
    """What each part of the run did, for the report's head."""
    described = {
        "films": f"wrk -t2 -c{args.connections} x {args.duration}s (2 s warm-up)",
        "rentals": f"{args.concurrency} renting clients x {args.duration}s, no Idempotency-Key",
        "ai": f"SSE: the model's {args.chunks} chunks {args.chunk_delay * 1000:.0f} ms apart, "
        f"streams opened over {args.ramp:g}s",
    }
    parts = [text for part, text in described.items() if part in args.parts]
    return "; ".join([*parts, f"{args.repeat} round(s) of ours then the peer, medians"])


def shown(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def report(sides: list[Side], args: argparse.Namespace, head: str, same: str) -> tuple[str, bool]:
    url = urlsplit(database_url())
    if url.password:
        url = url._replace(netloc=url.netloc.replace(f":{url.password}@", ":***@"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    lines = [
        f"Pagila API vs peer, {head}",
        f"database {url.geturl()} (PostgreSQL {pg_version}); `make serve` and the peer (uvicorn "
        f"seed_stack:app: {versions()}) with {args.workers} workers each",
        loads(args),
        "",
        "| Work | Pagila API | Peer | Ratio |",
        "|---|---:|---:|---:|",
    ]
    for key, work, lower in rows(args):
        ours, peer = (median(side.runs[key]) for side in sides)
        ratio = f"{ours / peer:.2f}" if peer else "n/a"
        lines.append(
            f"| {work}{' (lower is better)' if lower else ''} | {shown(ours)} | "
            f"{shown(peer)} | {ratio} |"
        )
    streams = args.streams if "ai" in args.parts else []
    fewer = [n for n in streams if any(min(side.runs[f"sse{n}_open"]) < n for side in sides)]
    if fewer:  # a --ramp as long as a stream (--chunks x --chunk-delay): the first end early
        lines += ["", f"NOTE: not all of {'/'.join(map(str, fewer))} streams were open at once."]
    lines += [
        "",
        *([f"Film pages: {same}."] if same else []),
        "Ratio = Pagila API / peer: above 1 ours is ahead on the rates, below 1 on the rows marked",
        "lower is better. The peer caches nothing; ours answers the same page again from each",
        "worker's page cache, and a page never asked before from one query.",
        "",
        "runs (ours | peer):",
    ]
    for key, *_ in rows(args):
        if key in sides[0].details:
            per_side = ("; ".join(side.details[key]) for side in sides)
            lines.append(f"  {key}: " + " | ".join(per_side))
    ok = True
    for side in sides:
        fine = not (side.server_errors.total() or side.doubles or side.other_errors.total())
        ok = ok and fine
        where = f" {dict(+side.server_errors)}" if side.server_errors.total() else ""
        lines.append(
            f"{side.name}: 5xx {side.server_errors.total()}{where}, double rentals {side.doubles}, "
            f"other failures {dict(+side.other_errors) or 'none'}: {'ok' if fine else 'FAILED'}"
        )
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    lines.append(f"load average at the end: {load}")
    return "\n".join(lines), ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk/rentals run (8)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median of them)")
    parser.add_argument("--workers", type=int, default=2, help="processes per server (2)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--concurrency", type=int, default=16, help="rental clients (16)")
    parser.add_argument(
        "--streams",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[300, 1000],
        help="concurrent SSE asks per comparison, comma-separated (300,1000)",
    )
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds to open the streams (5)")
    parser.add_argument("--chunks", type=int, default=200, help="chunks per answer (200)")
    parser.add_argument("--chunk-delay", type=float, default=0.05, help="model's chunk gap, s")
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds a stream run may take"
    )
    parser.add_argument(
        "parts", nargs="*", choices=["films", "rentals", "ai", []], help="default: all three"
    )
    args = parser.parse_args()
    args.parts = args.parts or ["films", "rentals", "ai"]
    raise_open_files_limit()
    head = machine_line()  # the load average before the servers start
    with (
        fake_model(chunks=args.chunks, chunk_delay=args.chunk_delay) as model_url,
        serve(workers=args.workers, env=ai_server_env(model_url)) as ours,
        serve_peer(workers=args.workers, model_url=model_url) as peer,
    ):
        sides = [Side("Pagila API", ours), Side("Peer", peer)]
        same = same_pages(sides) if "films" in args.parts else ""
        for repeat in range(args.repeat):
            for step in plan(args):
                for side in sides:
                    step(side, repeat)
    text, ok = report(sides, args, head, same)
    print(text)
    write_report("versus", text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
