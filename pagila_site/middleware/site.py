"""Django's session, login and messages middleware, for the site and not for the token API.

The REST API under /api/v1/ authenticates each request with a bearer token and never reads a
session, a logged-in user or a flash message. Under ASGI, Django's middleware for those hand
each hook to the request's own thread and back for an async view (MiddlewareMixin's adapter):
five hand-offs per `/ai/ask` stream, each a wake-up of a thread that competes with the event
loop for the interpreter. Here an API request goes straight past them; the admin, the pages and
the staff assistant (under /admin/) get them exactly as Django ships them. The one thing the
API takes from a session is its key (`session_key`): the assistant page's conversations belong to
the visitor's session.
Each class subclasses Django's own, so Django's checks (the admin's E408-E410) still find them.

CommonMiddleware stays for every path (it refuses a bad Host header), its hooks run in place.
The security, CSRF and clickjacking middleware stay as Django ships them: `check --deploy`
looks for them by their own names.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessions
from django.http import HttpRequest, HttpResponseBase
from django.middleware.common import CommonMiddleware as DjangoCommon

from pagila_site.middleware.base import GetResponse, HookMiddleware

API_V1 = "/api/v1/"


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is for the token API, which has no session, user or messages."""
    return request.path_info.startswith(API_V1)


def session_key(request: HttpRequest) -> str | None:
    """The key of the session the request's cookie names, as SessionMiddleware reads it (None:
    no session); for an API request, which has no `request.session`. Reads nothing stored.
    """
    engine = import_module(settings.SESSION_ENGINE)
    key: str | None = engine.SessionStore(
        request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    ).session_key
    return key


class SiteOnly:
    """Mixed into a Django middleware: an API request goes on to the next one untouched."""

    get_response: Any

    def __call__(self, request: HttpRequest) -> Any:
        if is_api_request(request):
            return self.get_response(request)  # a coroutine when the chain is async
        return super().__call__(request)  # type: ignore[misc]  # the Django middleware's


class SessionMiddleware(SiteOnly, DjangoSessions):
    """Django's sessions, for the site only."""


class AuthenticationMiddleware(SiteOnly, DjangoAuthentication):
    """Django's `request.user`, for the site only."""


class MessageMiddleware(SiteOnly, DjangoMessages):
    """Django's messages, for the site only."""


class CommonMiddleware(HookMiddleware):
    """Django's CommonMiddleware for every path, its hooks run where the request is.

    They only read the request and set headers (a bad Host's 400, a missing slash's redirect,
    Content-Length), so an async view's request runs them on the event loop rather than handing
    each to a thread as MiddlewareMixin would.
    """

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self.django = DjangoCommon(get_response)

    def before(self, request: HttpRequest) -> HttpResponseBase | None:
        return self.django.process_request(request)

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        return self.django.process_response(request, response)
