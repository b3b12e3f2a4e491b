"""manage.py pagila_load: create the database if needed and load the pinned Pagila dump."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pagila_site.pagila.embedded import EmbeddedDatabaseError
from pagila_site.pagila.loader import PagilaError, load_database, server_conninfo


class Command(BaseCommand):
    help = "Create the database if missing and load Pagila v3.1.0 (schema and data) into it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="drop everything and reload")
        parser.add_argument(
            "--database-name", help="load into this database instead of the configured one"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        db = settings.DATABASES["default"]
        dbname = options["database_name"] or db["NAME"]
        try:
            counts = load_database(
                server_conninfo(db),
                dbname,
                sql_dir=settings.PAGILA_SQL_DIR or None,
                cache_dir=settings.PAGILA_CACHE_DIR,
                force=options["force"],
                progress=lambda line: self.stdout.write(f"  {line}"),
            )
        except (PagilaError, EmbeddedDatabaseError) as exc:
            raise CommandError(str(exc)) from None
        if counts is None:
            self.stdout.write(f"Pagila already loaded in {dbname} (use --force to reload)")
        else:
            total = sum(count.rows for count in counts)
            self.stdout.write(f"Loaded Pagila into {dbname}: {len(counts)} tables, {total} rows")
