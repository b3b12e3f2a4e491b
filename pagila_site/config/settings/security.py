"""Secrets, hosts, HTTPS and browser-facing policies."""

from __future__ import annotations

from pagila_site.config.settings.env import DEBUG, env

DEV_SECRET_KEY = "django-insecure-pagila-development-only"  # noqa: S105 - dev default by design
DEV_API_TOKEN = "dvd_admin"  # noqa: S105 - the seed's development token
# Each secret production demands: its public development value, and what that value is called.
DEV_VALUES = {"SECRET_KEY": (DEV_SECRET_KEY, "key"), "API_TOKEN": (DEV_API_TOKEN, "token")}


def production_secrets_error(given: dict[str, str]) -> str | None:
    """Why the secrets `given` (name: value, "" when unset) cannot serve production, or None."""
    unset = [name for name, value in given.items() if not value]
    reasons = [
        f"{name} is the public development {DEV_VALUES[name][1]}"
        for name, value in given.items()
        if value and value == DEV_VALUES[name][0]
    ]
    if unset:
        reasons.insert(0, f"{' and '.join(unset)} {'is' if len(unset) == 1 else 'are'} not set")
    if not reasons:
        return None
    return (
        f"error: DEBUG is off (production) but {' and '.join(reasons)}; "
        "set a secret one in the environment or .env"
    )


given_secrets = {name: env(name, default="") for name in DEV_VALUES}
# Every process that loads these settings stops here with that one line: manage.py, and gunicorn
# before it forks its workers (pagila_site.serving.gunicorn_conf), so `make serve` exits at once.
if not DEBUG and (secrets_error := production_secrets_error(given_secrets)):
    raise SystemExit(secrets_error)
SECRET_KEY = given_secrets["SECRET_KEY"] or DEV_SECRET_KEY
API_TOKEN = given_secrets["API_TOKEN"] or DEV_API_TOKEN

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Request bodies over this many bytes get a 413 problem (refused before Django reads them).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_BODY_BYTES", default=1024 * 1024)
# Behind a TLS-terminating proxy: the header it sets to `https` (e.g. X-Forwarded-Proto); only
# set it when the proxy always sets or strips that header, or clients could fake HTTPS.
if proxy_ssl_header := env("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_ssl_header.upper().replace("-", "_"), "https")
# Redirect plain HTTP to HTTPS, and tell browsers to use only HTTPS (HSTS) for this many seconds.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# The admin's session and CSRF cookies travel over HTTPS only, unless DEBUG is on.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
