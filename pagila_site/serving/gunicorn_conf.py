"""gunicorn's configuration (`--config python:pagila_site.serving.gunicorn_conf`): settings first.

gunicorn imports this module in its master process before it forks a worker. Loading the
project's settings here means a setting that stops the project (production without real secrets)
stops gunicorn at once with that one-line error and a non-zero exit, instead of every worker
failing and gunicorn forking the next one, forever. Importing the settings starts nothing.
"""

from __future__ import annotations

import importlib
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pagila_site.config.settings")
importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
