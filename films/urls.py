"""URL routes of the films app, mounted under /api/v1/ by pagila_site.urls."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
