"""How requests reach Django, as an app: the `serve` command lives here."""

import warnings

from django.apps import AppConfig
from django.conf import settings


class ServingConfig(AppConfig):
    name = "pagila_site.serving"
    label = "serving"
    verbose_name = "Serving"

    def ready(self) -> None:
        if settings.DEBUG:
            # WhiteNoise warns at every start that `collectstatic` has not filled STATIC_ROOT;
            # in development the files are served from their apps (WHITENOISE_USE_FINDERS).
            warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
