"""URL routes of the assistant app, mounted under /api/v1/ by pagila_site.urls."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
