"""The REST API: DRF's defaults for every view, and the OpenAPI document."""

from __future__ import annotations

from pagila_site.config.settings.env import env

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["pagila_site.api.parsers.StrictJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "pagila_site.api.negotiation.PlainAcceptNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pagila_site.api.errors.api_exception_handler",
    # Proxies in front of the service whose X-Forwarded-For entries are trusted for a client's
    # address (the AI rate limit, the admin lockout); unset: none, REMOTE_ADDR is the client.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=None),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pagila API",
    "DESCRIPTION": "The Pagila DVD rental store: films, rentals and an AI assistant.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # What operation ids and paths are counted from (`v1_films_list`): fixed, where it was
    # estimated from every DRF view, which the staff assistant's, under /admin/, would move.
    "SCHEMA_PATH_PREFIX": "/api",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pagila_site.api.openapi.allow_empty_optional_query_parameters",
    ],
}
