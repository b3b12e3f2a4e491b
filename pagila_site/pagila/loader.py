"""Find, verify and load the pinned Pagila v3.1.0 dump into a PostgreSQL database."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from pagila_site.pagila.embedded import ensure_host

PAGILA_RELEASE = "pagila-v3.1.0"
# Upstream raw files of the pinned release; PAGILA_DOWNLOAD_URL replaces this base (tests, mirrors).
DEFAULT_DOWNLOAD_URL = f"https://raw.githubusercontent.com/devrimgunduz/pagila/{PAGILA_RELEASE}"
# SHA-256 of each file of the pinned release, as in shared/pagila/SHA256SUMS.
CHECKSUMS = {
    "pagila-schema.sql": "8ce358e4c8014087b85296694a0893887bd7a4190e3ce407f2721b86b98e5707",
    "pagila-data.sql": "fb81bec377687c83e11d2a24916ae28656d85550bf0ada798305bf7e2af9823b",
}
SCHEMA_FILE, DATA_FILE = "pagila-schema.sql", "pagila-data.sql"
COPY_LINE = re.compile(r"^COPY (?P<table>[\w.]+) .* FROM stdin;$")
# pg_dump's ownership statements name the role "postgres", which other servers may not have.
OWNER_LINE = re.compile(r"^ALTER .* OWNER TO \w+;$")

Progress = Callable[[str], None]


class PagilaError(Exception):
    """A problem with the Pagila source or the target database, worded for the shell user."""


@dataclass(frozen=True)
class TableCount:
    table: str
    rows: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, name: str, origin: str) -> None:
    """Raise unless the file at path has the pinned checksum of the release file `name`."""
    expected = CHECKSUMS[name]
    actual = sha256_of(path)
    if actual != expected:
        raise PagilaError(
            f"checksum mismatch for {origin}: expected {expected}, got {actual}; "
            "use an unmodified Pagila v3.1.0 copy (PAGILA_SQL_DIR) or the pinned release"
        )


def download(name: str, base_url: str, cache_dir: Path) -> Path:
    """Fetch one file into cache_dir, keeping it only when its checksum matches."""
    target = cache_dir / name
    if target.exists() and sha256_of(target) == CHECKSUMS[name]:
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    url = f"{base_url.rstrip('/')}/{name}"
    if not url.startswith(("http://", "https://")):
        raise PagilaError(f"PAGILA_DOWNLOAD_URL must be an http(s) address, not {base_url}")
    try:
        # The scheme is checked above, so S310's file:/custom-scheme concern does not apply.
        with urllib.request.urlopen(url, timeout=30) as response, partial.open("wb") as out:  # noqa: S310
            shutil.copyfileobj(response, out)
    except (urllib.error.URLError, OSError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise PagilaError(
            f"cannot download {url} ({reason}); set PAGILA_SQL_DIR to a folder holding the dump"
        ) from None
    try:
        verify(partial, name, url)
    except PagilaError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target


def locate_sources(sql_dir: str | None, base_url: str, cache_dir: Path) -> tuple[Path, Path]:
    """Return verified (schema, data) paths from sql_dir, or downloaded into cache_dir."""
    if sql_dir:
        folder = Path(sql_dir)
        paths = (folder / SCHEMA_FILE, folder / DATA_FILE)
        for path in paths:
            if not path.is_file():
                raise PagilaError(f"PAGILA_SQL_DIR has no {path.name}: {path} does not exist")
            verify(path, path.name, str(path))
        return paths
    schema = download(SCHEMA_FILE, base_url, cache_dir)
    return schema, download(DATA_FILE, base_url, cache_dir)


def server_conninfo(db: dict[str, Any]) -> dict[str, Any]:
    """psycopg keyword arguments for the server behind a Django database setting.

    With DATABASE_URL unset this starts the embedded server (or finds it running).
    """
    ensure_host(db, start=True)
    keys = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
    conninfo = {arg: str(db[key]) for key, arg in keys.items() if db.get(key)}
    conninfo["connect_timeout"] = str(db.get("OPTIONS", {}).get("connect_timeout", 5))
    return conninfo


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]


def unreachable_reason() -> str | None:
    """Why the configured server refuses a direct connection (the pool hides the cause)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    try:
        psycopg.connect(**server_conninfo(db), dbname=db["NAME"]).close()
    except psycopg.Error as exc:
        return first_line(exc)
    return None


def ensure_database(conninfo: dict[str, Any], dbname: str) -> bool:
    """Create dbname on the server when it is missing; True when it was created."""
    with psycopg.connect(**{**conninfo, "dbname": "postgres"}, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        return True


def is_loaded(conn: psycopg.Connection) -> bool:
    row = conn.execute("SELECT to_regclass('public.film') IS NOT NULL").fetchone()
    return bool(row and row[0])


def _data_blocks(path: Path) -> Iterator[tuple[str, list[str]]]:
    """Split a pg_dump data file into (sql, []) statements and (COPY statement, rows) blocks."""
    statements: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            match = COPY_LINE.match(line.rstrip("\n"))
            if not match:
                statements.append(line)
                continue
            yield "".join(statements), []
            statements = []
            rows = []
            for row in handle:
                if row == "\\.\n":
                    break
                rows.append(row)
            yield line.strip(), rows
    yield "".join(statements), []


def load(
    conn: psycopg.Connection, schema: Path, data: Path, progress: Progress
) -> list[TableCount]:
    """Load schema then data inside the caller's transaction; return the rows copied per table."""
    schema_sql = "".join(
        line for line in schema.open(encoding="utf-8") if not OWNER_LINE.match(line.strip())
    )
    progress(f"schema: {schema.name}")
    conn.execute(schema_sql.encode())
    counts = []
    with conn.cursor() as cur:
        for statement, rows in _data_blocks(data):
            match = COPY_LINE.match(statement)
            if not match:
                if statement.strip():
                    cur.execute(statement.encode())
                continue
            with cur.copy(statement.encode()) as copy:
                for row in rows:
                    copy.write(row)
            table = match["table"].removeprefix("public.")
            counts.append(TableCount(table, len(rows)))
            progress(f"{table}: {len(rows)} rows")
    return counts


def reset_schema(conn: psycopg.Connection) -> None:
    """Drop everything in the public schema (Pagila and Django's tables) for a clean reload."""
    conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
    conn.execute("CREATE SCHEMA public")


def load_database(
    conninfo: dict[str, Any],
    dbname: str,
    *,
    sql_dir: str | None,
    cache_dir: Path,
    base_url: str | None = None,
    force: bool = False,
    progress: Progress = print,
) -> list[TableCount] | None:
    """Create and fill dbname with Pagila; None when it was already loaded and force is off.

    Sources are verified before the database is touched, and the load is one transaction,
    so a failure leaves the database as it was.
    """
    base_url = base_url or os.environ.get("PAGILA_DOWNLOAD_URL") or DEFAULT_DOWNLOAD_URL
    try:
        if ensure_database(conninfo, dbname):
            progress(f"created database {dbname}")
        with psycopg.connect(**{**conninfo, "dbname": dbname}) as conn:
            if is_loaded(conn) and not force:
                return None
            schema, data = locate_sources(sql_dir, base_url, cache_dir)
            if force:
                reset_schema(conn)
            counts = load(conn, schema, data, progress)
    except psycopg.OperationalError as exc:
        raise PagilaError(
            f"cannot reach PostgreSQL ({first_line(exc)}); check DATABASE_URL or unset it "
            "to use the embedded server"
        ) from None
    return counts


@contextmanager
def advisory_lock(conninfo: dict[str, Any], name: str) -> Iterator[None]:
    """Hold a server-wide advisory lock, so parallel test runs load a template only once."""
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with psycopg.connect(**{**conninfo, "dbname": "postgres"}, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [key])
