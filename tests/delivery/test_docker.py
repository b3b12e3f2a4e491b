"""The container files without a Docker engine: docker-compose.yml against the Compose
specification's JSON schema, and what the image must hold for the project as it is.

The schema is the one check-jsonschema ships (vendored from the compose-spec repository); the
Dockerfile is linted by hadolint in `make quality` (make docker-lint).
"""

from __future__ import annotations

import copy
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from jsonschema import Draft202012Validator

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def compose_spec() -> Draft202012Validator:
    schema_file = files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json")
    schema = json.loads(schema_file.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(validator: Draft202012Validator, document: dict[str, Any]) -> list[str]:
    return [error.message for error in validator.iter_errors(document)]


def test_docker_compose_yml_is_valid_against_the_compose_specification(
    compose: dict[str, Any], compose_spec: Draft202012Validator
) -> None:
    assert errors(compose_spec, compose) == []


@pytest.mark.parametrize(
    ("path", "value", "complaint"),
    [
        (
            ("services", "db", "healtcheck"),
            {"test": ["CMD", "true"]},
            "'healtcheck' was unexpected",
        ),
        (
            ("services", "api", "depends_on", "db", "condition"),
            "service_up",
            "'service_up'}} is not valid under any of the given schemas",
        ),
        (("services", "api", "ports"), "8000:8000", "'8000:8000' is not of type 'array'"),
    ],
)
def test_the_schema_refuses_what_compose_would_refuse(
    compose: dict[str, Any],
    compose_spec: Draft202012Validator,
    path: tuple[str, ...],
    value: Any,
    complaint: str,
) -> None:
    broken = copy.deepcopy(compose)
    parent = broken
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    assert any(complaint in message for message in errors(compose_spec, broken))


def test_the_api_refuses_to_start_without_its_production_secrets(compose: dict[str, Any]) -> None:
    """Compose stops at `${NAME:?...}` when NAME is unset: the settings need both secrets."""
    environment = compose["services"]["api"]["environment"]
    assert environment["DEBUG"] == "${DEBUG:-false}"
    for name in ("SECRET_KEY", "API_TOKEN"):
        assert environment[name].startswith(f"${{{name}:?"), name


def test_the_database_runs_the_init_script_and_the_api_waits_for_it(
    compose: dict[str, Any],
) -> None:
    db, api = compose["services"]["db"], compose["services"]["api"]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in db["volumes"]}
    init_folder = ROOT / mounts["/docker-entrypoint-initdb.d"]
    assert [p.name for p in init_folder.iterdir()] == ["10-pagila.sh"]  # tests/delivery/test_initdb
    assert api["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_every_project_folder_the_apps_need_is_copied_into_the_image() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = {
        line.split()[2] for line in dockerfile.splitlines() if line.startswith("COPY --chown")
    }
    local_apps = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if "site-packages" not in Path(config.path).parts
    }
    assert local_apps | {"manage.py", "templates"} <= copied


def test_the_entrypoint_migrates_before_it_serves() -> None:
    entrypoint = (ROOT / "docker/entrypoint.sh").read_text()
    assert entrypoint.index("pagila_load") < entrypoint.index("migrate --no-input")
    assert entrypoint.index("migrate --no-input") < entrypoint.index('exec "$@"')


def test_the_build_context_leaves_out_local_state() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in (".git", ".venv", ".pgdata", ".env", "staticfiles"):
        assert path in ignored
