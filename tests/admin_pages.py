"""Reading the back office's pages (the ChangeList behind a list, the messages shown) and the
time the database stamps on what a page wrote."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.admin.views.main import ChangeList
from django.db import connection
from django.test import Client


def changelist(client: Client, url: str, **params: Any) -> ChangeList:
    """GET a changelist page (200 asserted) and return the ChangeList that rendered it."""
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.context["cl"]


def messages_of(response: Any) -> list[str]:
    """The admin messages a (followed) response carries."""
    return [str(message) for message in response.context["messages"]]


def transaction_now() -> datetime.datetime:
    """PostgreSQL's now(): the start of the test's transaction, which Pagila's defaults write."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        (now,) = cursor.fetchone()
    return now
