"""The Pagila dataset as an app: loading it, the embedded server, shared model and admin bases."""

from django.apps import AppConfig


class PagilaConfig(AppConfig):
    name = "pagila_site.pagila"
    label = "pagila"
    verbose_name = "Pagila dataset"

    def ready(self) -> None:
        from pagila_site.pagila import admin_lockout  # noqa: F401 - connects the lockout log
