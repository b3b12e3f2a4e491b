"""The catalogue over HTTP: `GET /api/v1/films` and `GET /api/v1/films/{film_id}`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from films import selectors
from films.filters import FilmFilter
from films.serializers import FilmDetailSerializer, FilmSerializer
from pagila_site.openapi import problem_responses
from pagila_site.pagination import SkipLimitPagination, SkipLimitParams


class FilmPagination(SkipLimitPagination):
    results_key = "films"


@extend_schema(tags=["films"])
@extend_schema_view(
    list=extend_schema(
        summary="List films",
        description="A page of the catalogue (`skip`/`limit`) with the total of matching films. "
        "Ordered by film_id unless `ordering` says otherwise. Filters combine with AND; an "
        "unknown category or a `skip` past the end gives an empty page, not an error.",
        responses={
            200: OpenApiResponse(
                FilmSerializer(many=True), description="The page, with `total` matching films."
            ),
            **problem_responses(400, 503),
        },
    ),
    retrieve=extend_schema(
        summary="One film",
        description="The film with its categories, actors, language, special features, and "
        "per store how many copies exist and how many are in stock now.",
        parameters=[
            OpenApiParameter(
                "film_id", int, OpenApiParameter.PATH, description="The film's id (1 to 1000)."
            )
        ],
        responses={
            200: OpenApiResponse(FilmDetailSerializer, description="The film."),
            **problem_responses(404, 503, descriptions={404: "No film has this id."}),
        },
    ),
)
class FilmViewSet(viewsets.ReadOnlyModelViewSet):
    """The public film catalogue: no token needed, read-only."""

    queryset = selectors.film_rows()
    serializer_class = FilmSerializer
    filterset_class = FilmFilter
    pagination_class = FilmPagination
    lookup_field = "film_id"
    lookup_value_regex = "[0-9]+"

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Bad filters and bad paging reported together, in one 400."""
        try:
            return super().filter_queryset(queryset)
        except ValidationError as exc:
            paging = SkipLimitParams(data=self.request.query_params)
            paging.is_valid()
            filters = exc.detail if isinstance(exc.detail, dict) else {"filters": exc.detail}
            raise ValidationError({**paging.errors, **filters}) from None

    def get_serializer_class(self) -> type[FilmSerializer]:
        return FilmDetailSerializer if self.action == "retrieve" else FilmSerializer

    def retrieve(self, request: Request, film_id: str) -> Response:
        # Ten digits reach past PostgreSQL's integer; longer ones name no film (and stay cheap).
        film = selectors.film_detail(int(film_id) if len(film_id) <= 10 else 0)
        return Response(self.get_serializer(film).data)
