"""Reading the back office's pages: the ChangeList behind a list page, the messages shown."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.views.main import ChangeList
from django.test import Client


def changelist(client: Client, url: str, **params: Any) -> ChangeList:
    """GET a changelist page (200 asserted) and return the ChangeList that rendered it."""
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.context["cl"]


def messages_of(response: Any) -> list[str]:
    """The admin messages a (followed) response carries."""
    return [str(message) for message in response.context["messages"]]
