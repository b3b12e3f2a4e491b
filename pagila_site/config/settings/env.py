"""The environment every settings module reads: process variables, then a .env file if present."""

from __future__ import annotations

import os
from pathlib import Path

import environ

# The checkout's root: manage.py, templates/, .env.
BASE_DIR = Path(__file__).resolve().parents[3]

env = environ.Env()
env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if Path(env_file).is_file():
    env.read_env(env_file)

# Development is the default; DEBUG=false is production and demands real secrets (security.py).
DEBUG = env.bool("DEBUG", default=True)
