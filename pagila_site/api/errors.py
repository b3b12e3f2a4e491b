"""The API's one error format (RFC 9457 problem details) and the handler that produces it.

Every 4xx/5xx from the API is `application/problem+json`:
`{"type", "title", "status", "detail", "code"}`, plus `"errors": {field: [messages]}` for
validation failures and `"request_id"` when the request carried or was given one.
"""

from __future__ import annotations

import logging
import traceback
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from psycopg_pool import PoolTimeout
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from pagila_site.middleware.request_id import current_request_id

logger = logging.getLogger("pagila.errors")

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://pagila-api.invalid/problems/"


class DomainError(Exception):
    """A business rule said no. Subclasses fix the HTTP status and the stable code."""

    status_code: int = status.HTTP_409_CONFLICT
    code = "conflict"
    title = "Conflict"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    title = "Not found"


class InvalidReference(DomainError):
    """The body names something that does not exist (e.g. an unknown inventory copy)."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid_reference"
    title = "Invalid reference"


def problem(
    status_code: int,
    code: str,
    title: str,
    detail: str,
    *,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The problem-details body; the single place that shapes an error.

    It carries the id of the request being served (RequestIdMiddleware binds it).
    """
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    if request_id := current_request_id():
        body["request_id"] = request_id
    return body


def _field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested validation detail into {"field.sub": [messages]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "non_field_errors" if key == "non_field_errors" else f"{prefix}{key}"
            flat.update(_field_errors(value, f"{name}."))
            if not isinstance(value, dict | list) or (
                isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)
            ):
                flat[name] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return flat
    if isinstance(detail, list) and any(isinstance(v, dict | list) for v in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_field_errors(value, f"{prefix}{index}."))
        return flat
    return {}


def problem_for_exception(exc: Exception) -> dict[str, Any] | None:
    """Map an exception to a problem body, or None when it is not ours to describe."""
    if isinstance(exc, DomainError):
        errors = {exc.field: [exc.detail]} if exc.field else None
        return problem(exc.status_code, exc.code, exc.title, exc.detail, errors=errors)
    if isinstance(exc, Http404):
        return problem_for_status(404)
    if isinstance(exc, PermissionDenied):
        return problem_for_status(403)
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return problem(
            503, "database_unavailable", "Service unavailable", "The database is not answering."
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail) or {"non_field_errors": [str(d) for d in exc.detail]}
        detail = "The request has invalid fields."
        return problem(400, "invalid", "Invalid request", detail, errors=errors)
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        # default_detail can be a template ('Method "{method}" not allowed.'): not a title.
        title = next((s.phrase for s in HTTPStatus if s == exc.status_code), "Error")
        return problem(exc.status_code, str(code), title, str(exc.detail))
    return None


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every API error in the one format."""
    body = problem_for_exception(exc)
    if body is None:
        if isinstance(exc, DatabaseError):
            logger.exception("database error")
        else:
            return None
        body = server_error_problem(exc)
    set_rollback()
    headers = {}
    if isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    return Response(body, status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE)


# The problems for statuses that Django answers without a view of ours: code, title, detail.
STATUS_PROBLEMS = {
    400: ("bad_request", "Bad request", "The request could not be understood."),
    403: ("permission_denied", "Forbidden", "Not allowed."),
    404: ("not_found", "Not found", "No such resource."),
    405: ("method_not_allowed", "Method not allowed", "This method is not allowed here."),
    500: ("server_error", "Server error", "An unexpected error occurred."),
}


def problem_for_status(status_code: int) -> dict[str, Any]:
    """The problem body for a bare error status (an unknown URL, a method, a failure)."""
    if status_code in STATUS_PROBLEMS:
        return problem(status_code, *STATUS_PROBLEMS[status_code])
    phrase = next((s.phrase for s in HTTPStatus if s == status_code), "Error")
    code = phrase.lower().replace(" ", "_").replace("-", "_")
    return problem(status_code, code, phrase.capitalize(), f"{phrase}.")


def server_error_problem(exc: BaseException | None) -> dict[str, Any]:
    """The 500 problem; with DEBUG on (development), the exception in a `debug` member."""
    body = problem_for_status(500)
    if settings.DEBUG and exc is not None:
        body["debug"] = {
            "exception": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exception(exc),
        }
    return body


def problem_response(body: dict[str, Any]) -> JsonResponse:
    """A problem body as a plain Django response (for non-DRF views and handlers)."""
    return JsonResponse(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE)


def not_found_view(request: HttpRequest, exception: Exception) -> JsonResponse:
    """handler404: unknown URLs answer in the API's format, not an HTML page."""
    return problem_response(problem_for_status(404))


def server_error_view(request: HttpRequest) -> JsonResponse:
    """handler500: never a stack trace or an HTML error page."""
    return problem_response(problem_for_status(500))
