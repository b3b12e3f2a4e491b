"""Skip/limit pagination shared by every list endpoint: `{"<items>": [...], total, skip, limit}`."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pagila_site.pagila.fields import PG_INT_MAX


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

    skip = QueryIntegerField(min_value=0, max_value=PG_INT_MAX, default=0)
    limit = QueryIntegerField(min_value=1, max_value=100, default=10)


class SkipLimitPagination(BasePagination):
    """A page of `limit` items after `skip`, with the exact total: two queries at most."""

    # The key the page's items are listed under, e.g. "films" or "rentals".
    results_key = "results"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        params = SkipLimitParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        self.skip: int = params.validated_data["skip"]
        self.limit: int = params.validated_data["limit"]
        self.total = queryset.count()
        if self.skip >= self.total:
            return []
        return list(queryset[self.skip : self.skip + self.limit])

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {self.results_key: data, "total": self.total, "skip": self.skip, "limit": self.limit}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": [self.results_key, "total", "skip", "limit"],
            "properties": {
                self.results_key: schema,
                "total": {"type": "integer", "minimum": 0, "description": "all matching items"},
                "skip": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer", "minimum": 1, "maximum": 100},
            },
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": "skip",
                "in": "query",
                "required": False,
                "description": "How many items to skip (default 0).",
                "schema": {"type": "integer", "minimum": 0, "maximum": PG_INT_MAX, "default": 0},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": "How many items to return, 1 to 100 (default 10).",
                "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
            },
        ]
