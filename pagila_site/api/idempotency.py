"""Safe retries for any POST: an `Idempotency-Key` header replays the first response, once written.

Decorate a DRF view method with `@idempotent`. Without the header nothing changes. With it, the
view's work and the stored response commit in one transaction under a per-key advisory lock:
- the same key and body again within IDEMPOTENCY_TTL: the first status and body are replayed
  (with `Idempotent-Replayed: true`) and nothing else is written;
- the same key with another body (or another endpoint): 422 `idempotency_key_reused`;
- the same key while the first request still runs: 409 `idempotency_key_in_progress`.
Responses of 500 and above are not stored (their writes roll back), so a retry runs afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from pagila_site.api.errors import DomainError
from pagila_site.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
# The header as Django's request.META holds it: read there, no request.headers is built for it.
META_KEY = "HTTP_IDEMPOTENCY_KEY"
# How long a key and its stored response are kept and replayed.
IDEMPOTENCY_TTL = timedelta(hours=24)
# Expired keys deleted (at most) by each request that stores a new key.
PURGE_BATCH = 100
KEY_PATTERN = re.compile(r"[\x20-\x7e]{1,255}")


class IdempotencyKeyInvalid(DomainError):
    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid_idempotency_key"
    title = "Invalid Idempotency-Key"


class IdempotencyKeyInProgress(DomainError):
    """The first request with this key has not finished; retry later for its response."""

    code = "idempotency_key_in_progress"
    title = "Request in progress"


class IdempotencyKeyReused(DomainError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    code = "idempotency_key_reused"
    title = "Idempotency key reused"


def validated_key(raw: str) -> str:
    key = raw.strip()
    if not KEY_PATTERN.fullmatch(key):
        raise IdempotencyKeyInvalid(
            f"{HEADER} must be 1 to 255 printable ASCII characters.", field=HEADER
        )
    return key


def request_fingerprint(request: Request) -> str:
    """What makes two requests 'the same': method, path and the JSON body (key order ignored)."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), cls=JSONEncoder)
    return hashlib.sha256(f"{request.method}\n{request.path}\n{body}".encode()).hexdigest()


def lock_id(key: str) -> int:
    """The 64-bit advisory lock number for a key."""
    digest = hashlib.sha256(f"idempotency:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def try_lock(key: str) -> bool:
    """Take the key's advisory lock until the transaction ends, without waiting."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_id(key)])
        return bool(cursor.fetchone()[0])


def purge_expired() -> None:
    """Delete a batch of expired keys, skipping rows another transaction is deleting."""
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE key IN (SELECT key FROM {table} "  # noqa: S608 - no input
            "WHERE expires_at < now() ORDER BY expires_at LIMIT %s FOR UPDATE SKIP LOCKED)",
            [PURGE_BATCH],
        )


def stored_body(response: HttpResponse) -> tuple[str, str]:
    """The response's JSON body and content type as stored: DRF's data, or the rendered bytes of
    a view that renders its own JSON (replayed through DRF's renderer, they come out the same).
    """
    if isinstance(response, Response):
        body = "" if response.data is None else json.dumps(response.data, cls=JSONEncoder)
        return body, response.content_type or ""
    return response.content.decode(), response["Content-Type"]


def remember(key: str, fingerprint: str, response: HttpResponse) -> None:
    """Store the response under the key (replacing an expired entry with the same key)."""
    now = timezone.now()
    body, content_type = stored_body(response)
    entry = IdempotencyKey(
        key=key,
        fingerprint=fingerprint,
        response_status=response.status_code,
        response_body=body,
        response_content_type=content_type,
        response_location=response.headers.get("Location", ""),
        created_at=now,
        expires_at=now + IDEMPOTENCY_TTL,
    )
    purge_expired()
    IdempotencyKey.objects.bulk_create(
        [entry],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=[f.name for f in IdempotencyKey._meta.concrete_fields if not f.primary_key],
    )


ViewMethod = Callable[..., HttpResponseBase]


def idempotent(handler: ViewMethod) -> ViewMethod:
    """Make a DRF view method (e.g. `create`) honour the Idempotency-Key header."""

    @functools.wraps(handler)
    def wrapper(view: APIView, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        raw_key = request.META.get(META_KEY)
        if raw_key is None:
            return handler(view, request, *args, **kwargs)
        key = validated_key(raw_key)
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            if not try_lock(key):
                raise IdempotencyKeyInProgress(
                    f"A request with this {HEADER} is still being processed; retry later."
                )
            stored = IdempotencyKey.objects.filter(key=key, expires_at__gt=timezone.now()).first()
            if stored is not None:
                if stored.fingerprint != fingerprint:
                    raise IdempotencyKeyReused(
                        f"This {HEADER} was used with a different request; use a new key."
                    )
                return stored.replay()
            try:
                response = handler(view, request, *args, **kwargs)
            except Exception as exc:  # domain and validation errors become their stored response
                response = view.handle_exception(exc)
            if not isinstance(response, HttpResponse) or response.status_code >= 500:
                transaction.set_rollback(True)
                return response
            remember(key, fingerprint, response)
            return response

    return wrapper
