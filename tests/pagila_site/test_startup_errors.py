"""Misconfiguration at the shell is a one-line error that names the fix, never a traceback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from pagila_site.serving.workers import WORKER_CLASS
from tests.live import free_port

ROOT = Path(settings.BASE_DIR)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "manage.py", *args], **env)


def run(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """The command in the checkout, with the environment's settings but no .env file."""
    environment = {**os.environ, "ENV_FILE": "/nonexistent", **env}
    return subprocess.run(
        command,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({}, "SECRET_KEY and API_TOKEN are not set"),
        ({"SECRET_KEY": "s" * 50}, "API_TOKEN is not set"),
        ({"API_TOKEN": "t" * 40}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "s" * 50, "API_TOKEN": "dvd_admin"}, "API_TOKEN is the public development"),
        (
            {"SECRET_KEY": "django-insecure-pagila-development-only", "API_TOKEN": "t" * 40},
            "SECRET_KEY is the public development key",
        ),
    ],
)
def test_production_refuses_to_start_without_real_secrets(env: dict[str, str], reason: str) -> None:
    result = manage("check", **{"DEBUG": "false", "SECRET_KEY": "", "API_TOKEN": "", **env})
    assert_one_line_error(result, "error: DEBUG is off (production) but", reason)


def make_serve(env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """`make serve` in a process group of its own, its packages and database taken as set up.

    A server still running after `timeout` seconds is killed with everything it started, and
    the result's returncode is None.
    """
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "API_TOKEN")}
    process = subprocess.Popen(
        ["make", "-o", ".venv/.installed", "-o", "db-setup", "serve", f"PORT={free_port()}"],
        cwd=ROOT,
        env={**base, "ENV_FILE": "/nonexistent", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        return subprocess.CompletedProcess(process.args, None, stdout, stderr)  # type: ignore[arg-type]


def test_make_serve_with_the_development_token_stops_at_once_with_one_line() -> None:
    started = time.monotonic()
    result = make_serve({"SECRET_KEY": "s" * 50, "API_TOKEN": "dvd_admin"}, timeout=60)
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.returncode not in (0, None), output[-3000:]
    # Printed once, by gunicorn's master before it forks: no worker was booted.
    assert [line for line in result.stderr.splitlines() if "DEBUG is off" in line] == [
        "error: DEBUG is off (production) but API_TOKEN is the public development token; "
        "set a secret one in the environment or .env"
    ], output[-3000:]
    assert "Booting worker" not in output
    assert elapsed < 30


def test_production_starts_with_real_secrets() -> None:
    result = manage("check", DEBUG="false", SECRET_KEY="s" * 50, API_TOKEN="t" * 40)
    assert result.returncode == 0, result.stderr


def test_an_unreachable_database_url_is_one_line_naming_the_fix() -> None:
    result = manage(
        "migrate", DATABASE_URL="postgresql://postgres@127.0.0.1:9/pagila", DB_POOL_TIMEOUT="0.5"
    )
    assert_one_line_error(result, "cannot reach PostgreSQL", "Connection refused", "DATABASE_URL")


def test_pagila_load_against_an_unreachable_server_is_one_line() -> None:
    result = manage("pagila_load", DATABASE_URL="postgresql://postgres@127.0.0.1:9/pagila")
    assert_one_line_error(result, "cannot reach PostgreSQL", "DATABASE_URL")


def test_serving_on_a_port_in_use_is_one_line_naming_the_fix() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = manage("serve", "--port", str(port))
    assert_one_line_error(result, f"port {port}", "in use", "PORT")


def test_gunicorn_on_a_port_in_use_stops_at_once_without_booting_a_worker() -> None:
    # Its workers bind their own sockets (reuse_port); the master's check refuses the port first.
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        gunicorn = [sys.executable, "-m", "gunicorn", "pagila_site.config.asgi:application"]
        result = run(
            [
                *gunicorn,
                *("--config", "python:pagila_site.serving.gunicorn_conf", "--workers", "2"),
                *("--worker-class", WORKER_CLASS, "--bind", f"127.0.0.1:{port}"),
            ]
        )
    assert result.returncode == 1, result.stderr[-3000:]
    assert f"Connection in use: ('127.0.0.1', {port})" in result.stderr
    assert "Booting worker" not in result.stderr
