"""The API's conventions as an app: its templates and static files (the Swagger UI page)."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pagila_site.api"
    label = "api"
    verbose_name = "API conventions"
