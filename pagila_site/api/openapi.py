"""OpenAPI pieces every app shares: the Problem component, its responses, the bearer scheme."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from pagila_site.api.errors import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE

# What each error status means across the API; an endpoint may say more about its own case.
PROBLEM_DESCRIPTIONS = {
    400: "Invalid input: `code` is `invalid` and `errors` names each bad parameter or field.",
    401: "No or wrong bearer token (`WWW-Authenticate: Bearer`).",
    404: "No such resource (`code`: `not_found`).",
    405: "The method is not allowed here (`code`: `method_not_allowed`).",
    409: "A business rule refused the request; `code` says which.",
    415: "The body is not `application/json` (`code`: `unsupported_media_type`).",
    503: "The database is not answering (`code`: `database_unavailable`); retry later.",
}


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem-details body, exactly as pagila_site.api.errors.problem() shapes it."""

    type = serializers.URLField(help_text=f"`{PROBLEM_TYPE_BASE}<code>`.")
    title = serializers.CharField(help_text="Short summary of the kind of problem.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="Human-readable explanation of this occurrence.")
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `invalid`.")
    # The serializer metaclass moves declared fields off the class: `errors` shadows nothing.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation only: each bad parameter or field with its messages.",
    )
    request_id = serializers.CharField(
        required=False, help_text="The request's id, when it had one (also in the logs)."
    )


def problem_responses(
    *statuses: int, descriptions: dict[int, str] | None = None
) -> dict[tuple[int, str], OpenApiResponse]:
    """`extend_schema(responses=...)` entries for error statuses, as application/problem+json."""
    described = {**PROBLEM_DESCRIPTIONS, **(descriptions or {})}
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description=described[status]
        )
        for status in statuses
    }


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents pagila_site.api.auth.BearerTokenAuthentication as the `bearerAuth` scheme."""

    target_class = "pagila_site.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <API_TOKEN>` (the server's API_TOKEN setting).",
        }


def allow_empty_optional_query_parameters(
    result: dict[str, Any], generator: Any, **kwargs: Any
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: optional query parameters say `allowEmptyValue`.

    Every view reads an empty optional parameter (`?limit=`) as an absent one, as DRF
    serializers and django-filter do; the schema says so, so clients and fuzzers know.
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
