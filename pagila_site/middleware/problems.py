"""Errors as problem documents: outages in every view, and every error answer under /api/."""

from __future__ import annotations

import structlog
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponseBase
from django.utils.deprecation import MiddlewareMixin

from pagila_site.api.errors import (
    PROBLEM_CONTENT_TYPE,
    problem_for_exception,
    problem_for_status,
    problem_response,
    server_error_problem,
)
from pagila_site.api.parsers import RequestTooLarge
from pagila_site.middleware.base import HookMiddleware

logger = structlog.get_logger("pagila.request")

API_PREFIX = "/api/"
# The headers that describe the body: the problem document brings its own.
BODY_HEADERS = frozenset({"content-type", "content-length"})


class ProblemExceptionMiddleware(MiddlewareMixin):
    """Any view's database outage is a 503 `database_unavailable`, an oversized body a 413.

    DRF views and the assistant's endpoints map these themselves; this covers the rest (the
    admin, the health probes, plain Django views), so an outage is never a 500 page.
    """

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        if isinstance(exception, RequestDataTooBig):
            exception = RequestTooLarge()
        body = problem_for_exception(exception)
        if body is None or body["status"] not in (413, 503):
            return None
        if body["status"] == 503:
            logger.warning("database unavailable", path=request.path)
        return problem_response(body)


class ApiProblemMiddleware(HookMiddleware):
    """Every error answer under /api/ is a problem document, with DEBUG on or off.

    Django answers some errors without a view of ours: with DEBUG on, an unknown URL and an
    unhandled exception get its technical HTML pages (handler404/handler500 serve only with
    DEBUG off); a bare 405 and the 400 of a bad Host header are HTML in both modes. Under /api/
    such an answer becomes the problem for its status, its other headers kept; with DEBUG on, a
    500 carries the exception and traceback in a `debug` member. Django still logs the failure
    as usual. Other paths (the admin, the assistant page) keep Django's pages.
    """

    def before(self, request: HttpRequest) -> None:
        request.api_exception = None  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """Note the view's exception for the `debug` member; Django answers and logs it."""
        request.api_exception = exception  # type: ignore[attr-defined]

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
        ):
            return response
        if response.status_code == 500:
            body = server_error_problem(getattr(request, "api_exception", None))
        else:
            body = problem_for_status(response.status_code)
        problem = problem_response(body)
        for header, value in response.items():
            if header.lower() not in BODY_HEADERS:
                problem[header] = value
        problem.cookies = response.cookies
        return problem
