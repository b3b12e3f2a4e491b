"""What the API's conventions store: the responses of idempotent requests."""

from __future__ import annotations

import json

from django.db import models
from rest_framework.response import Response


class IdempotencyKey(models.Model):
    """One client-chosen key: the request it belongs to and the response it got, until expiry."""

    key = models.CharField(primary_key=True, max_length=255)
    # SHA-256 of the method, path and canonical JSON body the key was first used with.
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.TextField()
    response_content_type = models.CharField(max_length=100, blank=True)
    response_location = models.TextField(blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "api_idempotency_key"

    def __str__(self) -> str:
        return f"Idempotency key {self.key}"

    def replay(self) -> Response:
        headers = {"Idempotent-Replayed": "true"}
        if self.response_location:
            headers["Location"] = self.response_location
        return Response(
            json.loads(self.response_body) if self.response_body else None,
            status=self.response_status,
            headers=headers,
            content_type=self.response_content_type or None,
        )
