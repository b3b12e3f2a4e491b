"""The API against its own OpenAPI schema: Schemathesis on a real server finds no failure.

All of Schemathesis's checks run (no 5xx, every status, header, content type and body as the
schema documents, invalid input refused with a 4xx, valid input accepted, the bearer token
enforced), over every operation including the SSE stream, against a server whose model is the
fake one: production-style (DEBUG off, as `make serve`) and with `make run`'s defaults (DEBUG on,
the development token). The servers work on one disposable copy of Pagila.

`make test` runs a bounded, seeded pass in each mode (FUZZ_MAX_EXAMPLES per operation, at least
FUZZ_MIN_CASES cases in all per mode); `make fuzz` runs a long one with a fresh seed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from devtools.fake_llm import FakeLLM
from tests.databases import disposable_database
from tests.live import PRODUCTION_ENV, model_env, running_server

pytestmark = pytest.mark.live

CONFIG = Path(__file__).with_name("schemathesis.toml")
# Cases per operation and mode; Schemathesis adds its coverage and stateful cases on top.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
# The fewest cases a run must generate to count, across all operations.
MIN_CASES = int(os.environ.get("FUZZ_MIN_CASES", "750"))
# A fixed seed keeps `make test` repeatable; `make fuzz` passes a new one each time.
SEED = os.environ.get("FUZZ_SEED", "20261126")
# Seconds one request may take before Schemathesis reports it as hung.
REQUEST_TIMEOUT = "10"


# The settings of each server under test and the token its clients send.
MODES = {
    "production": (PRODUCTION_ENV, PRODUCTION_ENV["API_TOKEN"]),
    "development": ({"DEBUG": "true", "ENV_FILE": "/nonexistent"}, "dvd_admin"),
}


@pytest.fixture(scope="module")
def fuzz_database(django_db_setup: None) -> Iterator[str]:
    """A throwaway copy of Pagila for the servers under test."""
    with disposable_database(f"{connection.settings_dict['NAME']}_fuzz") as name:
        yield name


@pytest.fixture(params=list(MODES))
def fuzz_server(
    request: pytest.FixtureRequest, fuzz_database: str, fake_server: FakeLLM
) -> Iterator[tuple[str, str]]:
    """A server in one mode on the throwaway copy, its model the fake one: (URL, token)."""
    env, token = MODES[request.param]
    # Schemathesis sends one request at a time: one worker serves it all.
    with running_server(
        database_name=fuzz_database, workers=1, env=env | model_env(fake_server)
    ) as url:
        yield url, token


def run_schemathesis(url: str, token: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """The Schemathesis CLI on the server's schema; its JSON report lands in `workdir`."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{url}/api/schema/?format=json",
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        SEED,
        "--request-timeout",
        REQUEST_TIMEOUT,
        "--report",
        "json",
        "--report-json-path",
        str(workdir / "schemathesis.json"),
        "--no-color",
    ]
    return subprocess.run(
        command, cwd=workdir, capture_output=True, text=True, timeout=1800, check=False
    )


def test_every_operation_holds_to_the_schema_under_generated_input(
    fuzz_server: tuple[str, str], tmp_path: Path
) -> None:
    result = run_schemathesis(*fuzz_server, tmp_path)
    report = json.loads((tmp_path / "schemathesis.json").read_text())
    cases = report["test_cases"]
    summary = (
        f"schemathesis: {cases['generated']} cases over {report['operations']['tested']} "
        f"operations, {cases['with_failures']} with failures, {cases['errored']} errored, "
        f"seed {report['seed']}, {report['running_time']:.1f} s"
    )
    print(summary)
    output = result.stdout[-6000:]
    assert report["operations"]["tested"] == report["operations"]["total"] == 12, output
    assert report["failures"] == [] and report["errors"] == [], output
    assert cases["with_failures"] == 0 and cases["errored"] == 0, output
    assert result.returncode == 0, output
    assert cases["generated"] >= MIN_CASES, summary
