"""A real server process on loopback (gunicorn + uvicorn workers) for live tests and benchmarks.

`running_server(database_name=...)` serves the project against that database and yields its base
URL; the fixture `live_server_url` (tests/conftest.py) does so once per session for the test
database. Tests using it are marked `live`, run with `django_db(transaction=True)` (the server
sees only committed rows) and must delete what they create.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from pagila_site.serving.workers import WORKER_CLASS

if TYPE_CHECKING:
    from devtools.fake_llm import FakeLLM

BASE_DIR = Path(__file__).resolve().parent.parent
# Seconds to wait for the server to answer /readyz before giving up with its log.
STARTUP_TIMEOUT = 60.0
# Production settings for servers under test (DEBUG off demands real-looking secrets).
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "reliability-tests-secret-key-" + "x" * 40,
    "API_TOKEN": "reliability-tests-token-7f3a9c",
    "ENV_FILE": "/nonexistent",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_env(database_name: str) -> dict[str, str]:
    """Environment that points the project's settings at another database on the same server."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return {"EMBEDDED_DB_NAME": database_name}
    return {"DATABASE_URL": urlunsplit(urlsplit(url)._replace(path=f"/{database_name}"))}


def model_env(fake: FakeLLM, *, timeout: float = 30.0) -> dict[str, str]:
    """A server's environment for the fake model: no retries, no AI rate limit, `timeout` s."""
    return {
        "OPENAI_BASE_URL": fake.base_url,
        "OPENAI_API_KEY": "test-key",
        "OPENAI_MODEL": fake.model,
        "AI_TIMEOUT": str(timeout),
        "AI_MAX_RETRIES": "0",
        "AI_RATE_LIMIT": "off",
    }


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"live server at {url} did not become ready; its log ends:\n{tail}")


@contextmanager
def running_server(
    *,
    database_name: str,
    workers: int = 2,
    env: Mapping[str, str] | None = None,
    graceful_timeout: int = 5,
) -> Iterator[str]:
    """Serve the project like `make serve` on a free loopback port; yield `http://127.0.0.1:<port>`.

    `env` adds or overrides environment variables of the server (e.g. DEBUG, API_TOKEN).
    The server is stopped (and waited for) on exit, so the database can be dropped afterwards;
    a response still streaming then is cut off after `graceful_timeout` seconds.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    child_env = {**os.environ, **database_env(database_name), **(env or {})}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "pagila_site.config.asgi:application",
        "--config",
        "python:pagila_site.serving.gunicorn_conf",
        "--workers",
        str(workers),
        "--worker-class",
        os.environ.get("WORKER_CLASS", WORKER_CLASS),
        "--bind",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        str(graceful_timeout),
    ]
    with tempfile.NamedTemporaryFile(prefix="live-server-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=child_env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_ready(url, process, log_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_path.unlink(missing_ok=True)
