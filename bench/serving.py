"""Which ASGI worker, and how many: wrk on the cached film list under each gunicorn setup.

For every worker class (ours, uvicorn's on asyncio's loop; uvicorn's own on uvloop; gunicorn's
own `asgi`) and worker count, starts `make serve`, warms it up, and runs wrk `--repeat` times on
`GET /api/v1/films` (a page the film cache answers, so the serving stack is most of the cost);
prints the medians. Usage: `make bench-serving` or `.venv/bin/python -m bench.serving -h`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    WrkResult,
    cpu_seconds,
    machine_line,
    median,
    run_wrk,
    serve,
    write_report,
)
from pagila_site.serving.workers import WORKER_CLASS

WORKER_CLASSES = (WORKER_CLASS, "uvicorn_worker.UvicornWorker", "asgi")
PATH = "/api/v1/films"


def bench(args: argparse.Namespace) -> dict[tuple[str, int], list[tuple[WrkResult, float]]]:
    """Per setup, each run's wrk result and the workers' CPU milliseconds per request."""
    results: dict[tuple[str, int], list[tuple[WrkResult, float]]] = {}
    for workers in args.workers:
        for worker_class in args.worker_classes:
            with serve(workers=workers, worker_class=worker_class) as server:
                url = server.url + PATH
                run_wrk(url, duration=2, connections=args.connections)  # warm-up
                runs = results[worker_class, workers] = []
                for _ in range(args.repeat):
                    before = cpu_seconds(server.workers())
                    result = run_wrk(url, duration=args.duration, connections=args.connections)
                    cpu = cpu_seconds(server.workers()) - before
                    runs.append((result, 1000 * cpu / max(result.requests, 1)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=6, help="seconds per wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per setup (median)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--worker-classes", nargs="+", default=list(WORKER_CLASSES))
    args = parser.parse_args()
    results = bench(args)
    lines = [
        f"serving stack, {machine_line()}",
        f"wrk {args.connections} connections x {args.duration}s on {PATH} (cached), "
        f"{args.repeat} runs, medians",
        "",
        f"{'worker class':<30}{'workers':>8}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'CPU ms/req':>11}  runs req/s",
    ]
    for (worker_class, workers), runs in results.items():
        wrk = [result for result, _ in runs]
        lines.append(
            f"{worker_class:<30}{workers:>8}"
            f"{median([r.requests_per_second for r in wrk]):>8.0f}"
            f"{median([r.p50_ms for r in wrk]):>8.2f}{median([r.p99_ms for r in wrk]):>8.2f}"
            f"{median([cpu for _, cpu in runs]):>11.3f}"
            f"  {' '.join(f'{r.requests_per_second:.0f}' for r in wrk)}"
        )
    text = "\n".join(lines)
    print(text)
    write_report("serving", text)


if __name__ == "__main__":
    main()
