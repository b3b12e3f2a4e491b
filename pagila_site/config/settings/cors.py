"""Cross-origin access to the API (django-cors-headers): closed unless origins are named."""

from __future__ import annotations

from pagila_site.config.settings.env import env

# Origins allowed to call /api/ from a browser (e.g. https://shop.example.com); none by default.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
# Only the API is open to other origins; the admin, the docs and the assistant page never are.
CORS_URLS_REGEX = r"^/api/"
# What a cross-origin client may send, and which response headers its scripts may read.
CORS_ALLOW_METHODS = ("GET", "POST", "OPTIONS")
CORS_ALLOW_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID")
CORS_EXPOSE_HEADERS = ("Location", "Retry-After", "X-Request-ID", "Idempotent-Replayed")
# Seconds a browser may cache a preflight answer.
CORS_PREFLIGHT_MAX_AGE = 600
# No cookies across origins: the API token is a header, never a cookie.
CORS_ALLOW_CREDENTIALS = False
