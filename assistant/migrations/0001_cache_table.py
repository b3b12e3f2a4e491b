"""The database cache table behind the AI rate limit (what `manage.py createcachetable` makes).

Running it as a migration means every `migrate` (make run, make test, deployments) creates it.
It does nothing when CACHE_URL points at Redis or another non-database cache.
"""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import migrations

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


def create_cache_tables(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps: Any, schema_editor: Any) -> None:
    for config in settings.CACHES.values():
        if config["BACKEND"] == DATABASE_CACHE:
            table = schema_editor.quote_name(config["LOCATION"])
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables, elidable=False)]
