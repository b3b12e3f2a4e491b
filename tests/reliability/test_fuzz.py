"""The API against its own OpenAPI schema: Schemathesis on a real server finds no failure.

All of Schemathesis's checks run (no 5xx, every status, header, content type and body as the
schema documents, invalid input refused with a 4xx, valid input accepted, the bearer token
enforced), over every operation including the SSE stream, against a server whose model is the
fake one: production-style (DEBUG off, as `make serve`) and with `make run`'s defaults (DEBUG on,
the development token). The two passes run side by side, each server on its own disposable copy
of Pagila.

`make test` runs a bounded, seeded pass in each mode (FUZZ_MAX_EXAMPLES per operation, at least
FUZZ_MIN_CASES cases in all per mode); `make fuzz` runs a long one with a fresh seed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class FuzzRun:
    """A Schemathesis pass in progress: its process, and the files its output lands in."""

    process: subprocess.Popen[bytes]
    workdir: Path

    @property
    def output(self) -> str:
        return (self.workdir / "output.txt").read_text(errors="replace")[-6000:]

    @property
    def report(self) -> dict[str, Any]:
        return json.loads((self.workdir / "schemathesis.json").read_text())


def start_schemathesis(url: str, token: str, workdir: Path) -> FuzzRun:
    """The Schemathesis CLI on the server's schema, started; its JSON report lands in `workdir`."""
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
    with (workdir / "output.txt").open("wb") as output:
        process = subprocess.Popen(command, cwd=workdir, stdout=output, stderr=subprocess.STDOUT)
    return FuzzRun(process, workdir)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait()


@pytest.fixture(scope="module")
def fuzz_runs(
    django_db_setup: None, fake_server: FakeLLM, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, FuzzRun]]:
    """A pass in each mode, side by side, each on a server of its own and its own copy of Pagila.

    The passes share only the fake model. Each one waits on its server or its client in turn,
    so the two together keep both cores busy: the pair takes little longer than one pass.
    Schemathesis sends one request at a time: one worker serves each.
    """
    test_database = connection.settings_dict["NAME"]  # read here: connections are per thread

    def start(mode: str, stack: ExitStack, workdir: Path) -> FuzzRun:
        env, token = MODES[mode]
        database = stack.enter_context(disposable_database(f"{test_database}_fuzz_{mode}"))
        server_env = env | model_env(fake_server)
        url = stack.enter_context(running_server(database_name=database, workers=1, env=server_env))
        run = start_schemathesis(url, token, workdir)
        stack.callback(stop, run.process)  # before its server stops
        return run

    with ExitStack() as stacks:
        started = {}
        with ThreadPoolExecutor(len(MODES)) as pool:  # the two set-ups overlap too
            for mode in MODES:
                stack = stacks.enter_context(ExitStack())
                workdir = tmp_path_factory.mktemp(f"fuzz-{mode}")
                started[mode] = pool.submit(start, mode, stack, workdir)
        yield {mode: future.result() for mode, future in started.items()}


@pytest.mark.parametrize("mode", list(MODES))
def test_every_operation_holds_to_the_schema_under_generated_input(
    fuzz_runs: dict[str, FuzzRun], mode: str
) -> None:
    run = fuzz_runs[mode]
    returncode = run.process.wait(timeout=1800)
    report = run.report
    cases = report["test_cases"]
    summary = (
        f"schemathesis ({mode}): {cases['generated']} cases over "
        f"{report['operations']['tested']} operations, {cases['with_failures']} with failures, "
        f"{cases['errored']} errored, seed {report['seed']}, {report['running_time']:.1f} s"
    )
    print(summary)
    assert report["operations"]["tested"] == report["operations"]["total"] == 12, run.output
    assert report["failures"] == [] and report["errors"] == [], run.output
    assert cases["with_failures"] == 0 and cases["errored"] == 0, run.output
    assert returncode == 0, run.output
    assert cases["generated"] >= MIN_CASES, summary
