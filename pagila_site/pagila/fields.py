"""Model fields that Pagila's tables share."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now


class LastUpdateField(models.DateTimeField):
    """Pagila's `last_update`: set by the database default and its triggers, never by Django."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("db_default", Now())
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
