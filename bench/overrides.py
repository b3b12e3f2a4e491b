"""What each override of Django in the serving stack buys: the project against variants without it.

Run `make bench-overrides` (or `python -m bench.overrides --help`). Per repeat, each variant in
turn is served by `make serve` (2 workers, the fake model) and measured on the cached and the
uncached film page (wrk), the rental create+return cycle and concurrent SSE streams; the
figures are medians over the repeats and each variant's ratio to the project as it ships.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ai_streams, rentals
from bench.common import (
    BASE_DIR,
    Server,
    ai_server_env,
    fake_model,
    machine_line,
    median,
    raise_open_files_limit,
    run_wrk,
    serve,
    write_report,
)

PROJECT_APP = "pagila_site.config.asgi:application"
PROJECT_SETTINGS = "pagila_site.config.settings"


@dataclass(frozen=True)
class Variant:
    name: str
    asgi_app: str = PROJECT_APP
    settings: str = PROJECT_SETTINGS


VARIANTS = [
    Variant("project"),
    Variant("without one-hop handler", asgi_app="bench.variants.asgi:django_handler"),
    Variant("without readable-socket pool check", settings="bench.variants.pool_ping"),
    Variant(
        "stock Django (neither)",
        asgi_app="bench.variants.asgi:django_handler",
        settings="bench.variants.pool_ping",
    ),
]
UNIQUE_QUERY = BASE_DIR / "bench" / "wrk" / "unique_query.lua"


def films_cached(server: Server, args: argparse.Namespace) -> float:
    url = f"{server.url}/api/v1/films?skip=20&limit=10"
    return run_wrk(url, duration=args.duration, connections=32).requests_per_second


def films_uncached(server: Server, args: argparse.Namespace) -> float:
    url = f"{server.url}/api/v1/films"
    wrk = run_wrk(url, duration=args.duration, connections=32, script=UNIQUE_QUERY)
    return wrk.requests_per_second


def rental_cycles(server: Server, args: argparse.Namespace) -> float:
    options = argparse.Namespace(duration=args.duration, concurrency=16, idempotency_keys=False)
    results, doubles = rentals.one_run(server.url, server.workers(), options)
    if doubles or results.errors:
        print(f"  rentals: {doubles} double rentals, errors {results.errors}")
    return results.creations / results.elapsed


def streams(server: Server, args: argparse.Namespace) -> float:
    options = argparse.Namespace(streams=args.streams, ramp=2.0, timeout=120.0)
    run = asyncio.run(ai_streams.load(server, options))
    if run.failed or run.completed < args.streams:
        print(f"  streams: {run.completed} completed, failures {run.failed}")
    return run.chunks / run.server_cpu


SCENARIOS: dict[str, Callable[[Server, argparse.Namespace], float]] = {
    "films cached, req/s": films_cached,
    "films uncached, req/s": films_uncached,
    "rental cycles/s": rental_cycles,
    "SSE chunks per server CPU second": streams,
}


def measure(args: argparse.Namespace) -> dict[str, dict[str, list[float]]]:
    figures: dict[str, dict[str, list[float]]] = {
        v.name: {s: [] for s in SCENARIOS} for v in VARIANTS
    }
    with fake_model(chunks=args.chunks, chunk_delay=0.05) as model_url:
        for repeat in range(args.repeat):
            for variant in VARIANTS:
                env = ai_server_env(model_url) | {
                    "ASGI_APP": variant.asgi_app,
                    "DJANGO_SETTINGS_MODULE": variant.settings,
                }
                with serve(workers=2, env=env) as server:
                    asyncio.run(ai_streams.load_warm(server))
                    for scenario, run in SCENARIOS.items():
                        figures[variant.name][scenario].append(run(server, args))
                print(f"run {repeat + 1}, {variant.name}: {figures[variant.name]}", flush=True)
    return figures


def report(figures: dict[str, dict[str, list[float]]], args: argparse.Namespace) -> str:
    project = {s: median(v) for s, v in figures["project"].items()}
    lines = [
        f"Serving overrides, median of {args.repeat} (ratio: variant / project)",
        machine_line(),
        "| variant | " + " | ".join(SCENARIOS) + " |",
        "|---|" + "---|" * len(SCENARIOS),
    ]
    for name, scenarios in figures.items():
        cells = [
            f"{median(values):,.0f} ({median(values) / project[s]:.2f}x)"
            for s, values in scenarios.items()
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=6, help="seconds per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="runs (median)")
    parser.add_argument("--streams", type=int, default=300, help="concurrent SSE streams")
    parser.add_argument("--chunks", type=int, default=40, help="chunks per streamed answer")
    args = parser.parse_args()
    raise_open_files_limit()
    text = report(measure(args), args)
    print(text)
    write_report("overrides", text)


if __name__ == "__main__":
    main()
