"""Skip/limit pagination shared by every list endpoint: `{"<items>": [...], total, skip, limit}`."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pagila_site.pagila.fields import PG_INT_MAX

# A page holds 1 to MAX_LIMIT items, DEFAULT_LIMIT unless `limit` says otherwise.
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
# The largest `skip`: PostgreSQL's integer, so OFFSET never overflows.
MAX_SKIP = PG_INT_MAX


class QueryIntegerField(serializers.IntegerField):
    """An integer query parameter written as plain digits (`5`, `-1`), as the schema says.

    DRF's IntegerField also takes `5.0`, `+5` or ` 5`, which the schema's `integer` does not.
    """

    def to_internal_value(self, data: Any) -> int:
        if not (isinstance(data, str) and re.fullmatch(r"-?[0-9]{1,19}", data)):
            self.fail("invalid")
        return int(super().to_internal_value(data))


class SkipLimitParams(serializers.Serializer):
    """The paging query parameters, validated like any other input (400 with field details)."""

    skip = QueryIntegerField(min_value=0, max_value=MAX_SKIP, default=0)
    limit = QueryIntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)


class SkipLimitPagination(LimitOffsetPagination):
    """A page of `limit` items after `skip`, with the exact total: two queries at most.

    DRF's limit/offset paging under the seed's names and body. DRF reads a bad `limit` or
    `offset` as the default and a too large `limit` as the maximum; here SkipLimitParams
    checks both first, so a bad value is a 400 problem naming it.
    """

    offset_query_param = "skip"
    offset_query_description = "How many items to skip (default 0)."
    limit_query_param = "limit"
    limit_query_description = (
        f"How many items to return, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})."
    )
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT
    # The key the page's items are listed under, e.g. "films" or "rentals".
    results_key = "results"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        params = SkipLimitParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        self.params: dict[str, int] = dict(params.validated_data)
        return super().paginate_queryset(queryset, request, view)

    def get_limit(self, request: Request) -> int:
        return self.params["limit"]

    def get_offset(self, request: Request) -> int:
        return self.params["skip"]

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {self.results_key: data, "total": self.count, "skip": self.offset, "limit": self.limit}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": [self.results_key, "total", "skip", "limit"],
            "properties": {
                self.results_key: schema,
                "total": {"type": "integer", "minimum": 0, "description": "all matching items"},
                "skip": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            },
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.offset_query_param,
                "in": "query",
                "required": False,
                "description": self.offset_query_description,
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_SKIP, "default": 0},
            },
            {
                "name": self.limit_query_param,
                "in": "query",
                "required": False,
                "description": self.limit_query_description,
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT,
                },
            },
        ]
