"""manage.py pagila_load: verified sources, one-transaction load, idempotence, clear failures."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from psycopg import sql

from pagila_site.pagila.loader import CHECKSUMS, DATA_FILE, SCHEMA_FILE, server_conninfo

SHARED = Path(settings.PAGILA_SQL_DIR or Path(settings.BASE_DIR).parent / "shared" / "pagila")


@pytest.fixture
def conninfo() -> dict[str, Any]:
    return server_conninfo(settings.DATABASES["default"])


@pytest.fixture
def scratch_db(conninfo: dict[str, Any]) -> Iterator[str]:
    """A database name that does not exist yet, dropped afterwards."""
    name = f"pagila_load_test{settings.DATABASES['default']['TEST']['NAME'].removeprefix('test_')}"

    def drop() -> None:
        with psycopg.connect(**conninfo, dbname="postgres", autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    drop()
    yield name
    drop()


def count(conninfo: dict[str, Any], dbname: str, query: str) -> int:
    with psycopg.connect(**conninfo, dbname=dbname) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return int(row[0])


def table_exists(conninfo: dict[str, Any], dbname: str, table: str) -> bool:
    with psycopg.connect(**conninfo, dbname=dbname) as conn:
        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [f"public.{table}"]).fetchone()
    return bool(row and row[0])


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server serving a copy of the dump folder: (base URL, folder)."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    for name in (SCHEMA_FILE, DATA_FILE):
        shutil.copy(SHARED / name, folder / name)
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, format: str, *args: object) -> None:
        QuietHandler.requests.append(self.path)


def download_from(base_url: str, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No local dump: pagila_load downloads from base_url into cache."""
    monkeypatch.setattr(settings, "PAGILA_SQL_DIR", "")
    monkeypatch.setattr(settings, "PAGILA_CACHE_DIR", cache)
    monkeypatch.setenv("PAGILA_DOWNLOAD_URL", base_url)


def test_loads_from_a_local_folder_with_progress_per_table(
    scratch_db: str, conninfo: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("pagila_load", database_name=scratch_db)
    out = capsys.readouterr().out
    assert f"created database {scratch_db}" in out
    assert "film: 1000 rows" in out
    assert "rental: 16044 rows" in out
    assert "Loaded Pagila" in out
    assert count(conninfo, scratch_db, "SELECT count(*) FROM film") == 1000
    assert (
        count(conninfo, scratch_db, "SELECT count(*) FROM rental WHERE return_date IS NULL") == 183
    )


def test_second_load_leaves_the_database_alone_and_force_reloads(
    scratch_db: str, conninfo: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("pagila_load", database_name=scratch_db)
    with psycopg.connect(**conninfo, dbname=scratch_db) as conn:
        conn.execute("DELETE FROM film_actor WHERE film_id = 1")
    capsys.readouterr()

    call_command("pagila_load", database_name=scratch_db)
    assert "already loaded" in capsys.readouterr().out
    assert count(conninfo, scratch_db, "SELECT count(*) FROM film_actor") == 5462 - 10

    call_command("pagila_load", database_name=scratch_db, force=True)
    assert count(conninfo, scratch_db, "SELECT count(*) FROM film_actor") == 5462


def test_downloads_the_pinned_release_and_caches_it(
    scratch_db: str,
    conninfo: dict[str, Any],
    mirror: tuple[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base_url, _ = mirror
    cache = tmp_path / "cache"
    download_from(base_url, cache, monkeypatch)
    QuietHandler.requests.clear()

    call_command("pagila_load", database_name=scratch_db)

    assert sorted(QuietHandler.requests) == ["/pagila-data.sql", "/pagila-schema.sql"]
    assert sorted(p.name for p in cache.iterdir()) == [DATA_FILE, SCHEMA_FILE]
    assert count(conninfo, scratch_db, "SELECT count(*) FROM customer") == 599

    call_command("pagila_load", database_name=scratch_db, force=True)
    assert len(QuietHandler.requests) == 2, "the verified cache is reused, not downloaded again"


def test_a_corrupted_download_is_refused_and_nothing_is_loaded(
    scratch_db: str,
    conninfo: dict[str, Any],
    mirror: tuple[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base_url, folder = mirror
    with (folder / DATA_FILE).open("a") as handle:
        handle.write("-- tampered\n")
    download_from(base_url, tmp_path / "cache", monkeypatch)

    with pytest.raises(CommandError, match=f"checksum mismatch for .*{DATA_FILE}") as error:
        call_command("pagila_load", database_name=scratch_db)

    assert "\n" not in str(error.value)
    assert not table_exists(conninfo, scratch_db, "film")
    assert not (tmp_path / "cache" / DATA_FILE).exists()


def test_an_unreachable_source_is_a_one_line_error(
    scratch_db: str, conninfo: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    download_from("http://127.0.0.1:9/pagila", tmp_path / "cache", monkeypatch)

    with pytest.raises(CommandError, match=r"cannot download .*; set PAGILA_SQL_DIR") as error:
        call_command("pagila_load", database_name=scratch_db)

    assert "\n" not in str(error.value)
    assert not table_exists(conninfo, scratch_db, "film")


def test_a_local_folder_without_the_dump_is_named(
    scratch_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "PAGILA_SQL_DIR", str(tmp_path))
    with pytest.raises(CommandError, match=f"PAGILA_SQL_DIR has no {SCHEMA_FILE}"):
        call_command("pagila_load", database_name=scratch_db)


def test_a_modified_local_file_is_refused(
    scratch_db: str, conninfo: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SHARED / SCHEMA_FILE, tmp_path / SCHEMA_FILE)
    (tmp_path / DATA_FILE).write_text("COPY public.film (film_id) FROM stdin;\n1\n\\.\n")
    monkeypatch.setattr(settings, "PAGILA_SQL_DIR", str(tmp_path))
    with pytest.raises(CommandError, match=CHECKSUMS[DATA_FILE]):
        call_command("pagila_load", database_name=scratch_db)
    assert not table_exists(conninfo, scratch_db, "film")
