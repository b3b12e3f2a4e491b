"""The peer `make bench` measures Pagila API against: the seed plan's own stack, run as it is.

`../shared/peers/seed_stack.py` (FastAPI + asyncpg + Semantic Kernel; read-only, never copied
here) under uvicorn from its own venv (`make peer-venv`: `../peer-venv`, its requirements.txt
from PyPI), on a free loopback port, with the database our settings point at, the fake model
and the bench token. PEER_DIR and PEER_VENV (the Makefile exports both) move either.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

from bench.common import BASE_DIR, BENCH_ENV, Server, free_port, run_server, setup_django

PEER_DIR = Path(os.environ.get("PEER_DIR") or BASE_DIR.parent / "shared" / "peers")
PEER_VENV = Path(os.environ.get("PEER_VENV") or BASE_DIR.parent / "peer-venv")
# What the peer runs on, for the report's head.
PACKAGES = ("fastapi", "uvicorn", "asyncpg", "semantic-kernel", "openai")


def database_url() -> str:
    """DATABASE_URL as our server gets it, or the embedded server's Unix socket as asyncpg reads it.

    asyncpg takes a socket folder as `host` (`postgresql://postgres@/pagila?host=/path`), so the
    peer reaches the embedded PostgreSQL too; DATABASE_URL (environment or .env) is passed as is.
    """
    setup_django()  # the settings read .env into os.environ
    from django.db import connection

    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    connection.ensure_connection()  # the embedded server's socket folder becomes its HOST
    db = connection.settings_dict
    query = {"host": db["HOST"], **({"port": str(db["PORT"])} if db.get("PORT") else {})}
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    user, query_string = quote(db["USER"], safe=""), urlencode(query, safe="/")
    return f"postgresql://{user}{password}@/{db['NAME']}?{query_string}"


def versions() -> str:
    """`fastapi 0.x, uvicorn 0.y, ...` as installed in the peer's venv."""
    code = "import importlib.metadata as m, sys\n"
    code += "print(', '.join(f'{n} {m.version(n)}' for n in sys.argv[1:]))"
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [str(PEER_VENV / "bin" / "python"), "-c", code, *PACKAGES],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or f"versions unknown ({done.stderr.strip()[-200:]})"


@contextmanager
def serve_peer(*, workers: int, model_url: str) -> Iterator[Server]:
    """uvicorn seed_stack:app --workers N on a free loopback port until the block ends."""
    uvicorn = PEER_VENV / "bin" / "uvicorn"
    if not (PEER_DIR / "seed_stack.py").is_file() or not uvicorn.is_file():
        raise SystemExit(
            f"the peer needs {PEER_DIR / 'seed_stack.py'} and its venv {PEER_VENV} "
            "(`make peer-venv` creates it)"
        )
    port = free_port()
    command = [str(uvicorn), "seed_stack:app", "--app-dir", str(PEER_DIR)]
    command += ["--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)]
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "OPENAI_BASE_URL": model_url,
        "REF_API_TOKEN": BENCH_ENV["API_TOKEN"],
        # The peer's folder is shared and read-only to us: no __pycache__ written into it.
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    with run_server(
        command, port=port, env=env, name="the peer", ready="/api/v1/films?limit=1"
    ) as server:
        yield server
