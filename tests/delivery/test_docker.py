"""The container files, checked by parsing them (no Docker engine runs on these machines)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

from pagila_site.pagila.loader import CHECKSUMS

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def stages(dockerfile: str) -> list[tuple[str, str]]:
    return re.findall(r"^FROM (\S+) AS (\S+)$", dockerfile, flags=re.MULTILINE)


def final_stage(dockerfile: str) -> str:
    return dockerfile.rsplit("\nFROM ", maxsplit=1)[-1]


def test_compose_runs_postgres_15_and_the_api(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"db", "api"}
    assert services["db"]["image"] == "postgres:15"
    assert services["api"]["build"] == "."


def test_the_database_has_a_healthcheck_and_the_api_waits_for_it(compose: dict[str, Any]) -> None:
    db, api = compose["services"]["db"], compose["services"]["api"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert api["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_the_database_loads_the_verified_pagila_dump_on_first_start(
    compose: dict[str, Any],
) -> None:
    volumes = compose["services"]["db"]["volumes"]
    assert "./docker/initdb:/docker-entrypoint-initdb.d:ro" in volumes
    assert any(v.endswith(":/pagila:ro") for v in volumes)
    script = (ROOT / "docker/initdb/10-pagila.sh").read_text()
    for name, digest in CHECKSUMS.items():
        assert f"{digest}  {name}" in script
    assert script.index("sha256sum -c") < script.index("psql")
    assert script.index("pagila-schema.sql -f pagila-data.sql") > 0


def test_the_api_gets_its_settings_from_the_environment(compose: dict[str, Any]) -> None:
    environment = compose["services"]["api"]["environment"]
    for name in (
        "DATABASE_URL",
        "SECRET_KEY",
        "API_TOKEN",
        "DEBUG",
        "ALLOWED_HOSTS",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "LOG_LEVEL",
    ):
        assert name in environment, name
    assert "@db:5432/pagila" in environment["DATABASE_URL"]
    assert environment["OPENAI_API_KEY"] == "${OPENAI_API_KEY:-}"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_the_api_migrates_before_it_serves() -> None:
    entrypoint = (ROOT / "docker/entrypoint.sh").read_text()
    assert entrypoint.index("migrate --no-input") < entrypoint.index('exec "$@"')


def test_dockerfile_builds_in_two_stages_on_python_312_slim(dockerfile: str) -> None:
    assert stages(dockerfile) == [("python:3.12-slim", "build"), ("python:3.12-slim", "runtime")]


def test_the_final_image_runs_as_a_non_root_user(dockerfile: str) -> None:
    runtime = final_stage(dockerfile)
    users = re.findall(r"^USER (\S+)$", runtime, flags=re.MULTILINE)
    assert users == ["app"]
    assert "useradd" in runtime


def test_the_final_image_has_runtime_dependencies_only(dockerfile: str) -> None:
    runtime = final_stage(dockerfile)
    assert "COPY --from=build /opt/venv /opt/venv" in runtime
    assert "requirements-dev" not in dockerfile
    assert "pip install" not in runtime


def test_static_files_are_collected_at_build_time(dockerfile: str) -> None:
    assert "collectstatic --no-input" in final_stage(dockerfile)


def test_the_entrypoint_serves_gunicorn_with_asgi_workers_and_checks_healthz(
    dockerfile: str,
) -> None:
    runtime = final_stage(dockerfile)
    assert 'ENTRYPOINT ["/app/docker/entrypoint.sh"]' in runtime
    cmd = re.search(r"^CMD (.+)$", runtime, flags=re.MULTILINE)
    assert cmd is not None
    assert "gunicorn pagila_site.config.asgi:application" in cmd.group(1)
    assert "uvicorn_worker.UvicornWorker" in cmd.group(1)
    healthcheck = re.search(r"^HEALTHCHECK .*\n\s+CMD (.+)$", runtime, flags=re.MULTILINE)
    assert healthcheck is not None
    assert "/healthz" in healthcheck.group(1)


def test_every_app_folder_the_image_needs_is_copied(dockerfile: str) -> None:
    copied = set(re.findall(r"^COPY --chown=app:app (\S+) ", dockerfile, flags=re.MULTILINE))
    apps = {"manage.py", "pagila_site", "films", "rentals", "assistant", "templates"}
    assert apps <= copied
    for name in apps:
        assert (ROOT / name).exists()


def test_the_build_context_leaves_out_local_state() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in (".git", ".venv", ".pgdata", ".env", "staticfiles"):
        assert path in ignored
