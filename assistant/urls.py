"""URL routes of the assistant app, mounted under /api/v1/ by pagila_site.config.urls."""

from django.urls import URLPattern, URLResolver, path

from assistant.views import AskView, HandoffView, SummaryView

urlpatterns: list[URLPattern | URLResolver] = [
    path("ai/ask", AskView.as_view(), name="ai-ask"),
    path("ai/summary", SummaryView.as_view(), name="ai-summary"),
    path("ai/handoff", HandoffView.as_view(), name="ai-handoff"),
]
