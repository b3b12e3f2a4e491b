"""Outages and oversized bodies as problem documents in every view, not only the API's."""

from __future__ import annotations

import structlog
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponseBase
from django.utils.deprecation import MiddlewareMixin

from pagila_site.api.errors import problem_for_exception, problem_response
from pagila_site.api.parsers import RequestTooLarge

logger = structlog.get_logger("pagila.request")


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
