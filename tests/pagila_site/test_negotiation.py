"""PlainAcceptNegotiation picks what DRF's own negotiation picks, for every Accept header."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from pagila_site.api.negotiation import PlainAcceptNegotiation
from tests.clients import assert_problem

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "",
    "text/html",
    "application/*",
    "application/json; indent=4",
    "text/html, application/json;q=0.9",
    " */*",
    "application/xml",
]
RENDERER_LISTS = {
    "json": [JSONRenderer()],
    "json-then-html": [JSONRenderer(), BrowsableAPIRenderer()],
    "html-then-json": [BrowsableAPIRenderer(), JSONRenderer()],
}


def outcome(
    negotiation: DefaultContentNegotiation,
    renderers: list[BaseRenderer],
    accept: str | None,
    query: dict[str, str],
) -> Any:
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/api/v1/films", query, **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers)
    except exceptions.NotAcceptable:
        return "406"
    return type(renderer), media_type


@pytest.mark.parametrize("renderers", RENDERER_LISTS.values(), ids=RENDERER_LISTS.keys())
@pytest.mark.parametrize("accept", ACCEPTS, ids=repr)
@pytest.mark.parametrize("query", [{}, {"format": "json"}, {"format": "api"}], ids=repr)
def test_the_same_renderer_and_media_type_as_drf(
    renderers: list[BaseRenderer], accept: str | None, query: dict[str, str]
) -> None:
    try:
        expected = outcome(DefaultContentNegotiation(), renderers, accept, query)
    except Exception as error:  # e.g. Http404 for a format no renderer has
        with pytest.raises(type(error)):
            outcome(PlainAcceptNegotiation(), renderers, accept, query)
        return
    assert outcome(PlainAcceptNegotiation(), renderers, accept, query) == expected


@pytest.mark.django_db
def test_the_api_still_refuses_a_media_type_it_cannot_send(client: Client) -> None:
    assert_problem(client.get("/api/v1/films/1", HTTP_ACCEPT="text/html"), 406, "not_acceptable")
    assert client.get("/api/v1/films/1", HTTP_ACCEPT="*/*").status_code == 200
