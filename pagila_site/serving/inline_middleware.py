"""Django's stock middleware, run on the event loop under ASGI instead of a thread per hook."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.http import HttpRequest, HttpResponseBase
from django.middleware import common


class InlineHooks:
    """Run a MiddlewareMixin's process_request/process_response inline when they do no I/O.

    Under ASGI, Django's MiddlewareMixin hands every hook to a thread (`sync_to_async`), in
    case it touches the database: with the stock chain that is a dozen thread hand-offs per
    request, which cost more CPU than a cached API page. The hooks of the classes below only
    read headers and cookies and set attributes and headers, except where a class says
    (`request_needs_thread`, `response_needs_thread`): those cases still go to a thread. Under
    WSGI and in Django's test client (sync mode) nothing changes. (SecurityMiddleware,
    CsrfViewMiddleware and XFrameOptionsMiddleware would gain as much, but `check --deploy`
    recognises only their own dotted paths, so they stay Django's.)
    """

    get_response: Any

    def request_needs_thread(self, request: HttpRequest) -> bool:
        return False

    def response_needs_thread(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        return False

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase | None = None
        process_request = getattr(self, "process_request", None)
        if process_request is not None:
            if self.request_needs_thread(request):
                response = await sync_to_async(process_request)(request)
            else:
                response = process_request(request)
        if response is None:
            response = await self.get_response(request)
        process_response = getattr(self, "process_response", None)
        if process_response is not None:
            if self.response_needs_thread(request, response):
                response = await sync_to_async(process_response)(request, response)
            else:
                response = process_response(request, response)
        assert response is not None
        return response


class CommonMiddleware(InlineHooks, common.CommonMiddleware):
    """APPEND_SLASH and Content-Length: URL resolution and headers only."""


class AuthenticationMiddleware(InlineHooks, auth.AuthenticationMiddleware):
    """Sets a lazy `request.user`: the session and the user are read only if a view asks."""


class SessionMiddleware(InlineHooks, sessions.SessionMiddleware):
    """A lazy session; saving it (a database write) happens on a thread, and only if it was used."""

    def response_needs_thread(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        session = getattr(request, "session", None)
        return session is not None and (session.accessed or settings.SESSION_SAVE_EVERY_REQUEST)


class MessageMiddleware(InlineHooks, messages.MessageMiddleware):
    """Lazy message storage; storing messages (in the session) happens on a thread, if any."""

    def response_needs_thread(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        storage = getattr(request, "_messages", None)
        return storage is not None and (storage.used or storage.added_new)
