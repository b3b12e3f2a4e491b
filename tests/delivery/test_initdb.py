"""docker/initdb/10-pagila.sh, the database container's first-start script, run as the postgres
image runs it but against a scratch database here: it loads a mounted, unmodified dump, and with
none (a plain clone) or a modified one it leaves the database empty without failing the start."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from pagila_site.pagila.loader import DEFAULT_DOWNLOAD_URL, locate_sources, server_conninfo

SCRIPT = Path(settings.BASE_DIR) / "docker/initdb/10-pagila.sh"
# A scratch database: its name and its server's psycopg connection arguments.
Database = tuple[str, dict[str, Any]]


@pytest.fixture
def scratch_database(django_db_setup: None) -> Iterator[Database]:
    """An empty database beside the test database."""
    db = settings.DATABASES["default"]
    conninfo = server_conninfo(db)
    name = f"{db['TEST']['NAME']}_initdb"
    with psycopg.connect(**conninfo, dbname="postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name, conninfo
    with psycopg.connect(**conninfo, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def mounted(tmp_path: Path) -> Path:
    """The folder mounted at /pagila, empty as Docker leaves it when ../shared/pagila is missing."""
    folder = tmp_path / "pagila"
    folder.mkdir()
    return folder


def put_the_pinned_dump(folder: Path) -> None:
    schema, data = locate_sources(
        settings.PAGILA_SQL_DIR or None, DEFAULT_DOWNLOAD_URL, settings.PAGILA_CACHE_DIR
    )
    shutil.copy(schema, folder / "pagila-schema.sql")
    shutil.copy(data, folder / "pagila-data.sql")


def run_init_script(mounted: Path, database: Database) -> subprocess.CompletedProcess[str]:
    """The script as the postgres image runs it: its variables set, psql on the server's socket
    (here: the scratch database's server)."""
    name, conninfo = database
    env = {
        "PATH": os.environ["PATH"],
        "POSTGRES_USER": conninfo.get("user", "postgres"),
        "POSTGRES_DB": name,
        "PGHOST": conninfo["host"],
        "PGPORT": conninfo.get("port", "5432"),
        "PGPASSWORD": conninfo.get("password", ""),
        "PAGILA_DUMP_DIR": str(mounted),
    }
    return subprocess.run(
        [str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def table_rows(database: Database) -> dict[str, int] | None:
    """Films and rentals in the scratch database; None when it has no Pagila tables."""
    name, conninfo = database
    with psycopg.connect(**conninfo, dbname=name) as conn:

        def scalar(query: str) -> Any:
            row = conn.execute(query.encode()).fetchone()
            return row[0] if row else None

        if not scalar("SELECT to_regclass('public.film') IS NOT NULL"):
            return None
        return {table: scalar(f"SELECT count(*) FROM {table}") for table in ("film", "rental")}


def test_a_mounted_pinned_dump_is_loaded(mounted: Path, scratch_database: Database) -> None:
    put_the_pinned_dump(mounted)
    result = run_init_script(mounted, scratch_database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(f"pagila: loaded the dump mounted at {mounted}")
    assert table_rows(scratch_database) == {"film": 1000, "rental": 16044}


def test_without_a_mounted_dump_the_first_start_goes_on_with_an_empty_database(
    mounted: Path, scratch_database: Database
) -> None:
    result = run_init_script(mounted, scratch_database)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"pagila: no dump mounted at {mounted}; the API will download and load the pinned release\n"
    )
    assert table_rows(scratch_database) is None


def test_a_modified_dump_is_not_loaded_and_does_not_fail_the_first_start(
    mounted: Path, scratch_database: Database
) -> None:
    put_the_pinned_dump(mounted)
    with (mounted / "pagila-data.sql").open("a") as data:
        data.write("INSERT INTO actor (first_name, last_name) VALUES ('EXTRA', 'ROW');\n")
    result = run_init_script(mounted, scratch_database)
    assert result.returncode == 0, result.stderr
    assert "pagila-data.sql: FAILED" in result.stdout
    assert "is not an unmodified Pagila v3.1.0; not loading it" in result.stderr
    assert table_rows(scratch_database) is None
