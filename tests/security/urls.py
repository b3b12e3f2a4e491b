"""The project's URLs plus views that fail on purpose, for the error-exposure tests."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pagila_site.config.urls import urlpatterns as project_urlpatterns

SECRET_DETAIL = "internal detail: /etc/pagila/secret.conf"


def broken_sql() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_column FROM no_such_table_for_errors WHERE id = %s", [1])


def plain_view_raising(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


def plain_view_with_bad_sql(request: HttpRequest) -> HttpResponse:
    broken_sql()
    return HttpResponse()


async def async_view_raising(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


class ApiViewRaising(APIView):
    def get(self, request: Request) -> Response:
        raise RuntimeError(SECRET_DETAIL)


class ApiViewWithBadSql(APIView):
    def get(self, request: Request) -> Response:
        broken_sql()
        return Response()


@require_GET
def plain_view_for_get_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("fine")


failing = [
    path("boom/plain", plain_view_raising),
    path("boom/plain-sql", plain_view_with_bad_sql),
    path("boom/async", async_view_raising),
    path("boom/api", ApiViewRaising.as_view()),
    path("boom/api-sql", ApiViewWithBadSql.as_view()),
]
urlpatterns = [
    *project_urlpatterns,
    *failing,
    # The same under /api/, where every error answer is a problem document.
    *[path(f"api/{pattern.pattern}", pattern.callback) for pattern in failing],
    path("api/get-only", plain_view_for_get_only),
]

handler404 = "pagila_site.api.errors.not_found_view"
handler500 = "pagila_site.api.errors.server_error_view"
