"""Benchmark of GET /api/v1/films: wrk against `make serve`, next to the same SQL run by pgbench.

Starts `make serve` (DEBUG=false) on a free loopback port and, `--repeat` times, runs wrk on each
scenario and pgbench on bench/raw_sql/<sql>.sql: the statement (total and page's JSON) the API runs
for that request when the page is not cached (tests/films/test_bench_sql.py keeps them in step).
Prints requests per second, p50/p99 and API/SQL, the API's throughput as a share of the raw
SQL's, per run and as medians, and checks them against the targets. Loopback only; every step has
a time limit. Usage: `make bench-films` or `.venv/bin/python -m bench.films -h`.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BENCH_DIR,
    WrkResult,
    cpu_seconds,
    machine_line,
    median,
    run_pgbench,
    run_wrk,
    serve,
    verdict,
    write_report,
)

# The targets: at least this share of the raw SQL's throughput, and this p99 in ms.
TARGET_RATIO = 0.40
TARGET_P99_MS = 25.0


@dataclass(frozen=True)
class Scenario:
    """A wrk load: `path` (or a Lua `script`), optional headers, and the SQL it compares with."""

    path: str
    sql: str | None = None
    script: str | None = None
    # Headers sent with every request; "{etag}" becomes the ETag of `path` fetched first.
    headers: tuple[str, ...] = ()
    # Whether the targets apply (the others are shown for understanding).
    target: bool = False


SCENARIOS = {
    "films_page": Scenario("/api/v1/films", sql="films_page", target=True),
    "films_category": Scenario("/api/v1/films?category=Comedy", sql="films_category", target=True),
    # A new query string each request: the total and the page are read every time, compared
    # with the same SQL.
    "films_uncached": Scenario("/api/v1/films", sql="films_page", script="unique_query.lua"),
    # A client revalidating a page it holds: 304 with no body.
    "films_304": Scenario("/api/v1/films", headers=("If-None-Match: {etag}",)),
}


@dataclass
class Runs:
    api: list[WrkResult] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # the workers' CPU per request
    sql_tps: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)

    def ratios(self) -> list[float]:
        return [a.requests_per_second / t for a, t in zip(self.api, self.sql_tps, strict=False)]


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        assert response.status == 200, f"{url} answered {response.status}"
        return str(response.headers["ETag"])


def bench(args: argparse.Namespace) -> dict[str, Runs]:
    names = args.scenarios or list(SCENARIOS)
    runs = {name: Runs() for name in names}
    env = {"DB_POOL_MAX_SIZE": str(args.pool)} if args.pool else {}
    with serve(workers=args.workers, worker_class=args.worker_class, env=env) as server:
        for repeat in range(args.repeat):
            for name in names:
                scenario = SCENARIOS[name]
                url = server.url + scenario.path
                etag = etag_of(url)
                load = {
                    "connections": args.connections,
                    "script": BENCH_DIR / "wrk" / scenario.script if scenario.script else None,
                    "headers": [h.format(etag=etag) for h in scenario.headers],
                }
                if repeat == 0:  # every worker warms its pool, imports and caches first
                    run_wrk(url, duration=2, **load)
                before = cpu_seconds(server.workers())
                result = run_wrk(url, duration=args.duration, **load)
                cpu = cpu_seconds(server.workers()) - before
                runs[name].api.append(result)
                runs[name].cpu_ms.append(1000 * cpu / max(result.requests, 1))
            for name in names:  # the server idles meanwhile
                sql = SCENARIOS[name].sql
                if sql:
                    tps, ms = run_pgbench(
                        BENCH_DIR / "raw_sql" / f"{sql}.sql",
                        duration=args.duration,
                        clients=args.clients,
                    )
                    runs[name].sql_tps.append(tps)
                    runs[name].sql_ms.append(ms)
    return runs


def report(runs: dict[str, Runs], args: argparse.Namespace) -> str:
    workers = args.workers or os.cpu_count()
    lines = [
        f"films benchmark, {machine_line()}",
        f"`make serve` with {workers} x {args.worker_class or 'the Makefile worker class'}; "
        f"wrk {args.connections} connections x {args.duration}s; pgbench {args.clients} clients "
        f"x {args.duration}s on the same SQL; {args.repeat} runs, medians; CPU ms: the server "
        "workers' CPU time per request",
        "",
        f"{'scenario':<16}{'API req/s':>10}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms':>7}{'SQL tps':>9}"
        f"{'API/SQL':>9}  per run (API/SQL)              wrk errors",
    ]
    verdicts = []
    for name, run in runs.items():
        ratios = run.ratios()
        per_run = " ".join(
            f"{a.requests_per_second:.0f}" + (f"/{t:.0f}" if run.sql_tps else "")
            for a, t in zip(run.api, run.sql_tps or [0.0] * len(run.api), strict=False)
        )
        rps = median([a.requests_per_second for a in run.api])
        p99 = median([a.p99_ms for a in run.api])
        ratio = median(ratios) if ratios else float("nan")
        errors = "; ".join(sorted({a.errors for a in run.api}))
        lines.append(
            f"{name:<16}{rps:>10.0f}{median([a.p50_ms for a in run.api]):>8.2f}{p99:>8.2f}"
            f"{median(run.cpu_ms):>7.2f}"
            f"{median(run.sql_tps) if run.sql_tps else float('nan'):>9.0f}"
            f"{ratio:>9.1%}  {per_run:<30}  {errors}"
        )
        if SCENARIOS[name].target:
            ratio_verdict = verdict(
                f"API/SQL {ratio:.2f}", f">= {TARGET_RATIO:.2f}", ratio >= TARGET_RATIO
            )
            p99_verdict = verdict(
                f"p99 {p99:.1f} ms", f"<= {TARGET_P99_MS:.0f}", p99 <= TARGET_P99_MS
            )
            verdicts.append(f"{name}: {ratio_verdict}; {p99_verdict}")
    return "\n".join([*lines, "", *verdicts])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk/pgbench run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of every scenario (median)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--clients", type=int, default=4, help="pgbench clients")
    parser.add_argument("--workers", type=int, default=0, help="server workers (Makefile's)")
    parser.add_argument("--worker-class", default="", help="gunicorn worker class (Makefile's)")
    parser.add_argument("--pool", type=int, default=0, help="DB_POOL_MAX_SIZE (settings')")
    parser.add_argument("scenarios", nargs="*", choices=[*SCENARIOS, []], help="default: all")
    args = parser.parse_args()
    text = report(bench(args), args)
    print(text)
    write_report("films", text)


if __name__ == "__main__":
    main()
