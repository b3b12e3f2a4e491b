"""URL routes of the films app, mounted under /api/v1/ by pagila_site.config.urls."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from films.views import FilmViewSet

router = SimpleRouter(trailing_slash=False)
router.register("films", FilmViewSet, basename="film")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
