"""The assistant's browser page: a question box that streams its answer from the SSE endpoint."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
