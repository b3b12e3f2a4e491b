"""Top-level URL map: health probes, the API under /api/v1/ with schema and docs, admin, pages."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from assistant.pages import assistant_page, staff_assistant_page
from assistant.views import StaffAskView
from pagila_site.serving import health
from rentals.admin.dashboard import dashboard_view

api_v1 = [
    path("", include("films.urls")),
    path("", include("rentals.urls")),
    path("", include("assistant.urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        # Its init script is a request of its own: the docs work under the site's strict CSP.
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="pagila_site/swagger_ui.html"
        ),
        name="swagger-ui",
    ),
    # Staff only (the admin's login): before admin/, whose catch-all would answer 404.
    path("admin/dashboard/", admin.site.admin_view(dashboard_view), name="store-dashboard"),
    path("admin/assistant/", admin.site.admin_view(staff_assistant_page), name="staff-assistant"),
    # Staff only too, with answers for EventSource: 403 problems rather than the login redirect.
    path("admin/assistant/ask", StaffAskView.as_view(), name="staff-ask"),
    path("admin/", admin.site.urls),
    path("assistant/", assistant_page, name="assistant-page"),
]

handler404 = "pagila_site.api.errors.not_found_view"
handler500 = "pagila_site.api.errors.server_error_view"
