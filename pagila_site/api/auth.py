"""The API token: `Authorization: Bearer <API_TOKEN>` authentication and its permission."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import structlog
from django.conf import settings
from rest_framework import HTTP_HEADER_ENCODING, exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

BEARER = b"bearer"

logger = structlog.get_logger("pagila.auth")


def log_rejected(request: Request, reason: str) -> None:
    """One structured warning per refused credential: who and why, never what was sent.

    `reason` is `missing`, `malformed` (not `Bearer <one token>`) or `wrong`; counting these
    lines per client address shows the rate of failed attempts.
    """
    logger.warning(
        "api token rejected",
        reason=reason,
        client=request.META.get("REMOTE_ADDR"),
        method=request.method,
        path=request.path,
    )


class ApiTokenCredential:
    """What `request.auth` holds once the bearer token matched: proof, never the token itself."""

    def __repr__(self) -> str:
        return "<ApiTokenCredential>"


API_TOKEN_CREDENTIAL = ApiTokenCredential()


def authorization_header(request: Request) -> bytes:
    """The request's Authorization header as bytes (b"" when absent).

    Read from request.META, as DRF's get_authorization_header did before it read
    request.headers, which builds a mapping of every header of the request for this one.
    """
    header: str | bytes = request.META.get("HTTP_AUTHORIZATION", b"")
    return header.encode(HTTP_HEADER_ENCODING) if isinstance(header, str) else header


def token_matches(presented: bytes) -> bool:
    """Constant-time comparison with settings.API_TOKEN; an empty token matches nothing."""
    expected = settings.API_TOKEN.encode()
    return bool(expected) and hmac.compare_digest(presented, expected)


class BearerTokenAuthentication(BaseAuthentication):
    """Accepts `Authorization: Bearer <API_TOKEN>` (RFC 6750).

    No header: not authenticated (the permission then answers 401). Any other Authorization
    header (another scheme, no token, a token with spaces, a wrong token): 401. The scheme is
    case-insensitive and surrounding whitespace is ignored (RFC 7235: `1*SP` after the scheme,
    optional whitespace around a header value). The token never reaches an error or a log.
    """

    failure = "Invalid credentials: send 'Authorization: Bearer <token>' with the API token."

    def authenticate(self, request: Request) -> tuple[None, ApiTokenCredential] | None:
        header = authorization_header(request).strip()
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != BEARER:
            log_rejected(request, "malformed")
            raise exceptions.AuthenticationFailed(self.failure)
        if not token_matches(parts[1]):
            log_rejected(request, "wrong")
            raise exceptions.AuthenticationFailed(self.failure)
        return None, API_TOKEN_CREDENTIAL

    def authenticate_header(self, request: Request) -> str:
        """The WWW-Authenticate challenge that turns DRF's 403 into a 401."""
        return "Bearer"


class HasApiToken(BasePermission):
    """Allows the request only when BearerTokenAuthentication accepted the API token."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.auth is API_TOKEN_CREDENTIAL:
            return True
        log_rejected(request, "missing")
        return False


class ApiTokenRequired:
    """Mixin for API views that sit behind the token (401 with `WWW-Authenticate: Bearer`)."""

    authentication_classes: Sequence[type[BaseAuthentication]] = [BearerTokenAuthentication]
    permission_classes: Sequence[_PermissionClass] = [HasApiToken]
