"""gunicorn's configuration (`--config python:pagila_site.serving.gunicorn_conf`): settings first.

gunicorn imports this module in its master process before it forks a worker. Loading the
project's settings here means a setting that stops the project (production without real secrets)
stops gunicorn at once with that one-line error and a non-zero exit, instead of every worker
failing and gunicorn forking the next one, forever. Importing the settings starts nothing.

`preload_app`: the master then imports the application once (Django, every view, Semantic
Kernel and the openai SDK: about 2 CPU-seconds) and forks workers that share it, instead of
each worker importing it again; `load_views_and_freeze_heap` freezes that heap before the fork,
so the shared pages stay shared. Nothing opens a database connection or a thread at import.
"""

from __future__ import annotations

import importlib
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.config.settings")
importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])

preload_app = True
