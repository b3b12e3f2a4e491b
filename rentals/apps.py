"""The rentals, customers, stores and streaming subscriptions app."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from rentals.payment_partitions import make_payment_partitions_ahead


class RentalsConfig(AppConfig):
    name = "rentals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(make_payment_partitions_ahead, sender=self)
