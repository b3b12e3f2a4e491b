"""The catalogue over HTTP: `GET /api/v1/films` and `GET /api/v1/films/{film_id}`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from films import selectors
from films.filters import FilmFilter, film_list_query
from films.page_cache import VersionedCache
from films.serializers import FilmDetailSerializer, FilmSerializer, render_film_page
from pagila_site.api.openapi import problem_responses
from pagila_site.api.pagination import SkipLimitPagination
from rentals.selectors import film_with_stock


class FilmPagination(SkipLimitPagination):
    results_key = "films"


PRECONDITION_FAILED = (
    "`If-Match` names another version of the page, or `If-Unmodified-Since` was sent (the list "
    "has no Last-Modified); `code`: `precondition_failed`."
)


class PreconditionFailed(APIException):
    """An If-Match (or If-Unmodified-Since) the page does not satisfy: 412 in the problem format."""

    status_code = 412
    default_detail = "The page does not match the request's preconditions."
    default_code = "precondition_failed"


@dataclass(frozen=True)
class FilmPage:
    """A rendered list response: its JSON body and the strong ETag naming that body."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, body: bytes) -> FilmPage:
        return cls(body, f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"')

    def response(self, request: Request) -> HttpResponseBase:
        """200 with the body, or what Django's conditional GET makes of the request's headers.

        A matching If-None-Match (the ETag, its W/ form, or `*`) gets 304 with the ETag.
        """
        response = HttpResponse(self.body, content_type="application/json")
        response["ETag"] = self.etag
        conditional = (
            get_conditional_response(request, etag=self.etag, response=response) or response
        )
        if conditional.status_code == PreconditionFailed.status_code:
            raise PreconditionFailed()
        return conditional


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
            **problem_responses(400, 412, 503, descriptions={412: PRECONDITION_FAILED}),
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

    queryset = selectors.films_by_id()
    serializer_class = FilmSerializer
    filterset_class = FilmFilter
    pagination_class = FilmPagination
    lookup_field = "film_id"
    lookup_value_regex = "[0-9]+"
    # Rendered pages of this worker by raw query string, for the current catalogue version;
    # the bound is bytes of JSON (a 10-film page is about 3.5 kB, a 100-film page about 35 kB).
    pages: VersionedCache[FilmPage] = VersionedCache(max_size=8 * 2**20)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        """A page from this worker's cache when the catalogue is unchanged, else from the database.

        A query string this worker has answered before (only valid ones are cached) costs one
        query, the catalogue version, and is answered from the cache when its page is of that
        version. Any other is validated first, so bad parameters get their 400 before any query
        runs; then one query reads the version, the total and the page's JSON together.
        """
        query = request.META.get("QUERY_STRING", "")
        if query in self.pages:
            cached = self.pages.get(query, selectors.catalogue_version())
            if cached is not None:
                return cached.response(request)
        listing = film_list_query(request.query_params)
        skip, limit = listing.skip, listing.limit
        found = selectors.film_page_json(skip=skip, limit=limit, **listing.filters)
        body = render_film_page(found.films_json, total=found.total, skip=skip, limit=limit)
        page = FilmPage.of(body)
        self.pages.put(query, found.version, page, size=len(page.body))
        return page.response(request)

    def get_serializer_class(self) -> type[FilmSerializer]:
        return FilmDetailSerializer if self.action == "retrieve" else FilmSerializer

    def retrieve(self, request: Request, film_id: str) -> Response:
        # Ten digits reach past PostgreSQL's integer; longer ones name no film (and stay cheap).
        film = film_with_stock(film_id=int(film_id) if len(film_id) <= 10 else 0)
        return Response(self.get_serializer(film).data)
