#!/usr/bin/env python
"""Django's command-line utility, turning an unreachable database into a one-line error."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.settings")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as exc:
        from pagila_site.pagila_loader import unreachable_reason

        reason = unreachable_reason() or str(exc).strip().splitlines()[0]
        sys.exit(
            f"error: cannot reach PostgreSQL ({reason}); check DATABASE_URL, "
            "or unset it to use the embedded server"
        )


if __name__ == "__main__":
    main()
