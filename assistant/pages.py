"""The assistant's browser pages: the public one and the staff one in the back office, each a
question box that streams its answer from its SSE endpoint."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from assistant.schemas import QUESTION_MAX_LENGTH
from pagila_site.middleware.security_headers import CONTENT_SECURITY_POLICY


@require_safe
def assistant_page(request: HttpRequest) -> HttpResponse:
    """GET /assistant/: the chat page, served under a strict Content-Security-Policy.

    The page's visitor gets a session, to which the conversations it starts are bound.
    """
    if request.session.session_key is None:
        request.session["assistant"] = True  # saved by SessionMiddleware: a key and its cookie
    context = {"ask_url": reverse("ai-ask"), "max_length": QUESTION_MAX_LENGTH}
    response = render(request, "assistant/page.html", context)
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


@require_safe
def staff_assistant_page(request: HttpRequest) -> TemplateResponse:
    """GET /admin/assistant/: the staff assistant, staff only (mounted through
    admin.site.admin_view); the site's CSP holds for it as for every admin page.
    """
    context = {
        **admin.site.each_context(request),
        "title": "Staff assistant",
        "ask_url": reverse("staff-ask"),
        "max_length": QUESTION_MAX_LENGTH,
    }
    return TemplateResponse(request, "admin/staff_assistant.html", context)
