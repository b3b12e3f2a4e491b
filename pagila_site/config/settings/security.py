"""Secrets, hosts, HTTPS and browser-facing policies."""

from __future__ import annotations

from pagila_site.config.settings.env import DEBUG, env

DEV_SECRET_KEY = "django-insecure-pagila-development-only"  # noqa: S105 - dev default by design
DEV_API_TOKEN = "dvd_admin"  # noqa: S105 - the seed's development token
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
API_TOKEN = env("API_TOKEN", default=DEV_API_TOKEN)
if not DEBUG:
    missing = [
        name
        for name, value, dev in (
            ("SECRET_KEY", SECRET_KEY, DEV_SECRET_KEY),
            ("API_TOKEN", API_TOKEN, DEV_API_TOKEN),
        )
        if value == dev or not value
    ]
    if missing:
        raise SystemExit(
            f"error: DEBUG is off (production) but {' and '.join(missing)} "
            "is not set; set it in the environment or .env"
        )

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
