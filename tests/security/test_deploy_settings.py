"""Production settings: `manage.py check --deploy` is clean once the TLS proxy knobs are set."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

from tests.settings_process import settings_in_new_process

PRODUCTION = {
    "ENV_FILE": "/nonexistent",
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "q8Zr7-Vt2w_Lm9" * 4,
    "API_TOKEN": "deploy-check-token-5d1f",
}
BEHIND_TLS_PROXY = {
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings_behind_a_tls_proxy() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **BEHIND_TLS_PROXY)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_the_tls_knobs_check_deploy_names_what_is_missing() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008"):  # HSTS, SSL redirect
        assert warning in result.stderr
    for cookie_warning in ("security.W012", "security.W016"):  # secure cookies are the default
        assert cookie_warning not in result.stderr


def test_the_proxy_header_setting_names_the_header_the_proxy_sets() -> None:
    names = [
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
    ]
    expression = f"[getattr(settings, name) for name in {names!r}]"
    assert settings_in_new_process(expression, PRODUCTION | BEHIND_TLS_PROXY) == [
        ["HTTP_X_FORWARDED_PROTO", "https"],
        True,
        True,
        31536000,
        1048576,
    ]
