#!/usr/bin/env python
"""Django's command-line utility, turning an unreachable database into a one-line error."""

import os
import sys


def start_embedded_database() -> None:
    """With DATABASE_URL unset, every command may need the embedded server: start it first."""
    from django.conf import settings

    from pagila_site.pagila.embedded import ensure_host

    ensure_host(settings.DATABASES["default"], start=True)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.config.settings")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    from pagila_site.pagila.embedded import EmbeddedDatabaseError

    try:
        start_embedded_database()
        execute_from_command_line(sys.argv)
    except EmbeddedDatabaseError as exc:
        sys.exit(f"error: {exc}")
    except OperationalError as exc:
        from pagila_site.pagila.loader import unreachable_reason

        reason = unreachable_reason() or str(exc).strip().splitlines()[0]
        sys.exit(
            f"error: cannot reach PostgreSQL ({reason}); check DATABASE_URL, "
            "or unset it to use the embedded server"
        )


if __name__ == "__main__":
    main()
