"""Misconfiguration at the shell is a one-line error that names the fix, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ENV_FILE": "/nonexistent", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
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
    ("env", "missing"),
    [
        ({}, "SECRET_KEY and API_TOKEN"),
        ({"SECRET_KEY": "s" * 50}, "API_TOKEN"),
        ({"API_TOKEN": "t" * 40}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_real_secrets(
    env: dict[str, str], missing: str
) -> None:
    result = manage("check", **{"DEBUG": "false", "SECRET_KEY": "", "API_TOKEN": "", **env})
    assert_one_line_error(result, "DEBUG is off", missing, "is not set")


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
