"""PostgreSQL stopped under load: fast 503s in the error format, then recovery without a restart.

A private embedded PostgreSQL (its own data folder, never the shared one) is loaded with Pagila
and served by a real server under steady load from a few clients; it is stopped, left down for
a few seconds, and started again. Every request that starts while it is down must get a 503
`database_unavailable` problem (never a 500, never a hang: the client gives up after 10 s), the
readiness probe says 503, the admin and the SSE stream report the outage their own way, and
requests succeed again after the database is back, without the server being restarted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from pagila_site.pagila.embedded import stop
from tests.live import BASE_DIR, PRODUCTION_ENV, running_server

pytestmark = pytest.mark.live

# The longest any request may take, outage or not (the "no hang longer than 10 s").
CLIENT_TIMEOUT = 10.0
CLIENTS = 4
# Seconds with the database down, and the most to wait for the load to warm up or recover.
OUTAGE = 4.0
WARM_UP_DEADLINE = 30.0
RECOVERY_DEADLINE = 30.0
PATHS = ["/api/v1/films/1", "/api/v1/films?category=comedy", "/api/v1/films?search=dinosaur"]


def set_up(data_dir: Path) -> None:
    """`make db-setup` on the private server: `pagila_load` then `migrate`, in one process."""
    commands = (
        "from django.core.management import call_command; "
        "call_command('pagila_load', verbosity=0); "
        "call_command('migrate', interactive=False, verbosity=0)"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", commands],
        cwd=BASE_DIR,
        env={**os.environ, **private_env(data_dir)},
        check=True,
        timeout=300,
    )


def private_env(data_dir: Path) -> dict[str, str]:
    """Settings for a process that must use the private server, whatever DATABASE_URL says."""
    return {"DATABASE_URL": "", "EMBEDDED_PG_DIR": str(data_dir), "EMBEDDED_DB_NAME": "pagila"}


def start_postgres(data_dir: Path) -> None:
    """Start the private server the way `make run` does, in a process of its own."""
    script = "import sys, pathlib; from pagila_site.pagila.embedded import socket_dir; "
    script += "socket_dir(pathlib.Path(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", script, str(data_dir)], cwd=BASE_DIR, check=True)


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[Path]:
    """A PostgreSQL server of this module's own, with Pagila loaded and migrated."""
    folder = Path(tempfile.mkdtemp(prefix="pg-outage-"))
    data_dir = folder / "pgdata"
    try:
        set_up(data_dir)
        yield data_dir
    finally:
        stop(data_dir)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def server(private_postgres: Path) -> Iterator[str]:
    offline = {"OPENAI_BASE_URL": "", "OPENAI_API_KEY": ""}
    env = PRODUCTION_ENV | private_env(private_postgres) | offline
    with running_server(database_name="pagila", workers=2, env=env) as url:
        yield url


@dataclass(frozen=True)
class Outcome:
    started: float
    elapsed: float
    status: int  # 0: no answer within CLIENT_TIMEOUT or the connection failed
    code: str | None
    content_type: str
    has_request_id: bool


class Load:
    """CLIENTS threads requesting PATHS in turn until stopped, recording every outcome."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.outcomes: list[Outcome] = []
        self.running = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(i,)) for i in range(CLIENTS)]

    def __enter__(self) -> Load:
        self.running.set()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.running.clear()
        for thread in self.threads:
            thread.join()

    def wait_for_every_path(self) -> None:
        """Block until CLIENTS x len(PATHS) requests have been answered 200: the load is warm."""
        deadline = time.monotonic() + WARM_UP_DEADLINE
        while sum(o.status == 200 for o in self.outcomes) < CLIENTS * len(PATHS):
            if time.monotonic() > deadline:
                pytest.fail(f"the load did not warm up in {WARM_UP_DEADLINE} s: {self.outcomes}")
            time.sleep(0.05)

    def client(self, index: int) -> None:
        with httpx.Client(base_url=self.url, timeout=CLIENT_TIMEOUT) as client:
            turn = index
            while self.running.is_set():
                path = PATHS[turn % len(PATHS)]
                turn += 1
                self.outcomes.append(request(client, path))


def request(client: httpx.Client, path: str) -> Outcome:
    started = time.monotonic()
    try:
        response = client.get(path)
    except httpx.HTTPError:
        return Outcome(started, time.monotonic() - started, 0, None, "", False)
    elapsed = time.monotonic() - started
    content_type = response.headers.get("content-type", "")
    body = response.json() if "json" in content_type else {}
    code = body.get("code") if isinstance(body, dict) else None
    has_id = bool(body.get("request_id")) if isinstance(body, dict) else False
    return Outcome(started, elapsed, response.status_code, code, content_type, has_id)


def wait_for_recovery(load: Load, back: float) -> float:
    """Seconds from `back` until every client's requests succeed again (all PATHS once)."""
    deadline = back + RECOVERY_DEADLINE
    while time.monotonic() < deadline:
        after = [o for o in load.outcomes if o.started >= back]
        failures = [o.started + o.elapsed for o in after if o.status != 200]
        last_failure = max(failures, default=back)
        settled = [o for o in after if o.status == 200 and o.started > last_failure]
        if len(settled) >= CLIENTS * len(PATHS):
            return max(0.0, min(o.started + o.elapsed for o in settled) - back)
        time.sleep(0.1)
    pytest.fail(f"requests still fail {RECOVERY_DEADLINE} s after PostgreSQL came back")


def test_database_outage_gives_fast_503s_then_recovers_without_a_restart(
    server: str, private_postgres: Path
) -> None:
    with httpx.Client(base_url=server, timeout=CLIENT_TIMEOUT) as probe, Load(server) as load:
        load.wait_for_every_path()
        stopping = time.monotonic()
        stop(private_postgres)
        down = time.monotonic()
        time.sleep(OUTAGE / 2)
        ready = probe.get("/readyz")
        admin = admin_with_a_session(server)
        summary = probe.post("/api/v1/ai/summary", json={"film_id": 1})
        stream = probe.get("/api/v1/ai/ask", params={"question": "comedies"})
        time.sleep(OUTAGE / 2)
        restarting = time.monotonic()
        start_postgres(private_postgres)
        back = time.monotonic()
        recovery = wait_for_recovery(load, back)

    before = [o for o in load.outcomes if o.started + o.elapsed < stopping]
    # Down: from the stop's end to the restart's start. PostgreSQL accepts connections a moment
    # before start_postgres returns, and a request already waiting for the pool may then succeed.
    during = [o for o in load.outcomes if down < o.started and o.started + o.elapsed < restarting]
    assert before and all(o.status == 200 for o in before)
    assert during, "no request ran while PostgreSQL was down"
    assert {(o.status, o.code) for o in during} == {(503, "database_unavailable")}
    assert all(o.content_type == "application/problem+json" and o.has_request_id for o in during)
    assert all(o.status != 500 for o in load.outcomes)
    assert all(o.status != 0 for o in load.outcomes), "a request hung or lost its connection"

    assert ready.status_code == 503 and ready.json()["database"] == "unreachable"
    assert admin.status_code == 503 and admin.json()["code"] == "database_unavailable"
    assert summary.status_code == 503 and summary.json()["code"] == "database_unavailable"
    # The AI rate limit counts in the database cache, so the stream is refused before it starts.
    assert stream.status_code == 503 and stream.json()["code"] == "database_unavailable"
    assert probe_ready(server)

    latencies = sorted(o.elapsed for o in during)
    print(
        f"database outage: {len(during)} requests while down, all 503 database_unavailable; "
        f"latency p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms; recovered {recovery:.2f} s after PostgreSQL "
        f"accepted connections again ({len(load.outcomes)} requests in all)"
    )


def admin_with_a_session(url: str) -> httpx.Response:
    """The admin index for a browser with a session cookie, which the admin looks up."""
    with httpx.Client(base_url=url, timeout=CLIENT_TIMEOUT, cookies={"sessionid": "x" * 32}) as c:
        return c.get("/admin/")


def probe_ready(url: str) -> bool:
    return httpx.get(f"{url}/readyz", timeout=CLIENT_TIMEOUT).status_code == 200
