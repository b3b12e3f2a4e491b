"""Helpers for the films tests: fetch a films page as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def get_films(client: Client, db: None) -> Any:
    """GET /api/v1/films with query parameters; returns the response after checking it is 200."""

    def get(query: str = "") -> dict[str, Any]:
        response = client.get(f"/api/v1/films{'?' + query if query else ''}")
        assert response.status_code == 200, response.content
        return response.json()

    return get


@pytest.fixture
def cold_film_list_cache() -> None:
    """Empty this process's film page cache, so the next request reads the database."""
    from films.views import FilmViewSet

    FilmViewSet.pages.clear()
