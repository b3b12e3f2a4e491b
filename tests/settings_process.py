"""The project's settings as a new process sees them, with environment variables of a test's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from django.conf import settings


def settings_in_new_process(expression: str, env: Mapping[str, str | None]) -> Any:
    """`expression` over `settings` (the project's, not the tests'), JSON-decoded, evaluated in
    a new Python process whose environment has `env` added (a None value: the variable unset).

    Only the settings module is read: no app (and no Semantic Kernel) is imported.
    """
    script = f"import json; from django.conf import settings; print(json.dumps({expression}))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={
            name: value
            for name, value in {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "pagila_site.config.settings",
                **env,
            }.items()
            if value is not None
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])
