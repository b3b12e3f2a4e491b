"""The OpenAPI document describes every films parameter, response and error; docs work offline."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.response import Response
from rest_framework.views import APIView

from pagila_site.api.auth import BearerTokenAuthentication

pytestmark = pytest.mark.django_db

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3_with_both_film_endpoints(schema: dict[str, Any]) -> None:
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]["/api/v1/films"]) == {"get"}
    assert set(schema["paths"]["/api/v1/films/{film_id}"]) == {"get"}


def test_list_documents_every_parameter(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/films"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {
        "skip",
        "limit",
        "category",
        "search",
        "rating",
        "streaming_available",
        "ordering",
    }
    assert all(p["in"] == "query" and p["description"] for p in params.values())
    assert params["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 10,
    }
    assert params["skip"]["schema"]["minimum"] == 0
    assert params["streaming_available"]["schema"] == {"type": "boolean"}
    assert sorted(params["rating"]["schema"]["items"]["enum"]) == ["G", "NC-17", "PG", "PG-13", "R"]
    assert sorted(params["ordering"]["schema"]["items"]["enum"]) == sorted(
        [
            f"{sign}{name}"
            for name in ("title", "rental_rate", "length", "release_year")
            for sign in ("", "-")
        ]
    )
    assert (
        "websearch" in params["search"]["description"]
        or "web-search" in params["search"]["description"]
    )


def test_list_documents_its_page_and_its_errors(schema: dict[str, Any]) -> None:
    responses = schema["paths"]["/api/v1/films"]["get"]["responses"]
    assert set(responses) == {"200", "400", "412", "503"}
    page = responses["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    component = schema["components"]["schemas"][page]
    assert component["required"] == ["films", "total", "skip", "limit"]
    film = component["properties"]["films"]["items"]["$ref"].split("/")[-1]
    fields = schema["components"]["schemas"][film]["properties"]
    # The list row's fields, in the order of the JSON the list sends.
    assert list(fields) == [
        "film_id",
        "title",
        "description",
        "release_year",
        "language",
        "length",
        "rental_duration",
        "rental_rate",
        "replacement_cost",
        "rating",
        "streaming_available",
        "categories",
    ]
    assert fields["rental_rate"]["type"] == "string"
    for status in ("400", "412", "503"):
        assert responses[status]["content"] == {"application/problem+json": {"schema": PROBLEM_REF}}
        assert responses[status]["description"]


def test_detail_documents_its_path_parameter_and_404(schema: dict[str, Any]) -> None:
    operation = schema["paths"]["/api/v1/films/{film_id}"]["get"]
    (param,) = operation["parameters"]
    assert (param["name"], param["in"], param["schema"]["type"]) == ("film_id", "path", "integer")
    assert set(operation["responses"]) == {"200", "404", "503"}
    assert operation["responses"]["404"]["content"]["application/problem+json"]["schema"] == (
        PROBLEM_REF
    )
    detail = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][detail.split("/")[-1]]["properties"]
    assert {"actors", "stores", "special_features", "categories", "language"} <= set(fields)


def test_problem_component_matches_the_error_format(schema: dict[str, Any]) -> None:
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}
    assert problem["properties"]["errors"]["additionalProperties"]["type"] == "array"


def test_film_endpoints_are_public(schema: dict[str, Any]) -> None:
    for path in ("/api/v1/films", "/api/v1/films/{film_id}"):
        assert "security" not in schema["paths"][path]["get"]
    assert "security" not in schema


def test_the_bearer_token_is_documented_as_an_http_bearer_scheme() -> None:
    class Guarded(APIView):
        authentication_classes = [BearerTokenAuthentication]

        def get(self, request: Any) -> Response:
            return Response({})

    from django.urls import path

    document = SchemaGenerator(patterns=[path("guarded", Guarded.as_view())]).get_schema(
        request=None, public=True
    )
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert document["paths"]["/guarded"]["get"]["security"] == [{"bearerAuth": []}]


def test_swagger_ui_loads_its_assets_locally(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    # The sidecar's files, the page's own stylesheet and its init script (a separate request,
    # so the page needs no inline script under the site's Content-Security-Policy).
    assert all(a.startswith(("/static/", "/api/docs/?script")) for a in assets)
    assert 'url: "/api/schema/"' in client.get("/api/docs/?script=").content.decode()
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert served.getvalue()
