"""URL routes of the rentals app, mounted under /api/v1/ by pagila_site.urls."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
