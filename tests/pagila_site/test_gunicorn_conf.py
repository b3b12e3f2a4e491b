"""gunicorn's configuration module, read as `make serve`, the Docker image and the live tests
read it (`--config python:pagila_site.serving.gunicorn_conf`)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import Application
from gunicorn.config import Config


class ConfigOnly(Application):
    """gunicorn's application, reduced to reading a configuration module."""

    def __init__(self) -> None:
        self.cfg = Config()
        self.usage = self.prog = None

    def init(self, parser: Any, opts: Any, args: Any) -> None:
        return None

    def load(self) -> None:
        return None


def test_a_worker_whose_event_loop_lags_a_minute_is_not_killed() -> None:
    app = ConfigOnly()
    app.load_config_from_module_name_or_filename("python:pagila_site.serving.gunicorn_conf")
    assert Config().timeout == 30  # gunicorn's default: killed after a 15 s lag (heartbeat/2)
    # uvicorn's worker beats every timeout / 2 seconds from its event loop (the arbiter passes
    # it half the timeout): a loop may now fall 60 s behind under a burst before the kill.
    assert app.cfg.timeout == 120
