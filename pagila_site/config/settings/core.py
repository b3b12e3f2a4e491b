"""Django itself: applications, middleware, templates, language and static files."""

from __future__ import annotations

from pagila_site.config.settings.env import BASE_DIR, DEBUG, env

# The port `manage.py serve` listens on.
PORT = env.int("PORT", default=8000)

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
    "corsheaders",
    "axes",
    "pagila_site.api",
    "pagila_site.serving",
    "pagila_site.pagila",
    "films",
    "rentals",
    "assistant",
]

# CORS answers preflights before CommonMiddleware could redirect them (django-cors-headers).
MIDDLEWARE = [
    "pagila_site.middleware.request_id.RequestIdMiddleware",
    # Outside the rest, so it sees the errors they answer too (a bad Host, Django's debug pages).
    "pagila_site.middleware.problems.ApiProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pagila_site.middleware.security_headers.SecurityHeadersMiddleware",
    "pagila_site.middleware.cors.ConfiguredCorsMiddleware",
    "pagila_site.middleware.static_files.StaticFilesMiddleware",
    # Sessions, users and messages for the site; the token API under /api/v1/ skips them.
    "pagila_site.middleware.site.SessionMiddleware",
    "pagila_site.middleware.site.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "pagila_site.middleware.site.AuthenticationMiddleware",
    "pagila_site.middleware.site.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pagila_site.middleware.problems.ProblemExceptionMiddleware",
    # Last, as django-axes asks: answers a locked-out login with its page (settings/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pagila_site.config.urls"
ASGI_APPLICATION = "pagila_site.config.asgi.application"
WSGI_APPLICATION = "pagila_site.config.wsgi.application"

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
