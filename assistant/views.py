"""The AI endpoints: `GET /api/v1/ai/ask` (SSE), `POST /api/v1/ai/summary`, `POST .../handoff`,
and the staff assistant's `GET /admin/assistant/ask` (SSE)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import structlog
from django.contrib.auth import get_user
from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest, HttpResponseBase, JsonResponse, StreamingHttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from assistant.ask_stream import ASK_EVENT_SCHEMA, ASK_EVENTS, Answer, ask_events
from assistant.conversations import conversation_continue, conversation_start
from assistant.database import database_call
from assistant.errors import UpstreamError
from assistant.offline import OFFLINE_NOTICE, is_offline
from assistant.schemas import (
    AskSerializer,
    FilmSummarySerializer,
    HandoffAnswerSerializer,
    HandoffRequestSerializer,
    SummaryRequestSerializer,
)
from assistant.throttling import AiRateThrottle
from pagila_site.api.errors import problem_for_exception, problem_response
from pagila_site.api.openapi import problem_responses
from pagila_site.api.parsers import parse_json
from pagila_site.middleware.request_id import current_request_id
from pagila_site.middleware.site import session_key

logger = structlog.get_logger("pagila.assistant")

# Set on every answer given without a language model (offline mode).
OFFLINE_HEADER = "X-Assistant-Offline"
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def keeps_connection(request: HttpRequest) -> bool:
    """True for an HTTP/1.1 request whose client did not ask to close the connection.

    Only then does the stream say `Connection: keep-alive` (HTTP/2 forbids the header, and
    after a client's `Connection: close` the server adds `close` itself).
    """
    scope = getattr(request, "scope", None) or {}  # an ASGIRequest's; WSGI requests have META
    version = scope.get("http_version") or request.META.get("SERVER_PROTOCOL", "")[5:]
    tokens = request.META.get("HTTP_CONNECTION", "").lower().replace(" ", "").split(",")
    return version == "1.1" and "close" not in tokens


class AsyncEndpoint(APIView):
    """A DRF view whose handlers are coroutines taking Django's own HttpRequest.

    DRF's request cycle is synchronous; under ASGI a sync view holds a thread for as long as
    the model takes. So `dispatch` here is a coroutine: it picks the handler (any method
    outside http_method_names, HEAD and OPTIONS too, is a 405), applies the AI rate limit
    with DRF's check_throttles, awaits the handler and turns known errors into problem
    details with the request id. DRF contributes the schema (`extend_schema` on the
    handlers), the throttle and the allowed methods. adrf's async APIView does not fit: it
    refuses EventSource's `Accept: text/event-stream` with a 406, allows HEAD and OPTIONS,
    and hands every request to a thread even with the rate limit off.
    """

    throttle_classes = [AiRateThrottle]
    # The handlers an endpoint may define; the ones it does define are its allowed methods.
    http_method_names = ["get", "post"]

    async def dispatch(  # type: ignore[override]
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        method = (request.method or "").lower()
        handler: Callable[..., Awaitable[HttpResponseBase]] | None = (
            getattr(self, method, None) if method in self.http_method_names else None
        )
        try:
            if handler is None:
                raise exceptions.MethodNotAllowed(request.method or "")
            if self.get_throttles():  # none while AI_RATE_LIMIT is off: no thread hop
                # DRF throttles read only request.META, which a Django HttpRequest has too.
                await database_call(self.check_throttles)(request)  # type: ignore[arg-type]
            return await handler(request, *args, **kwargs)
        except Exception as exc:
            return self.problem_for(request, exc)

    def get_throttles(self) -> list[BaseThrottle]:
        """The throttles that limit anything (AI_RATE_LIMIT=off: none)."""
        return [t for t in super().get_throttles() if getattr(t, "rate", None) is not None]

    def problem_for(self, request: HttpRequest, exc: Exception) -> HttpResponseBase:
        body = problem_for_exception(exc)
        if body is None:
            raise exc
        if body["status"] >= 500 and not isinstance(exc, UpstreamError):  # services log those
            logger.warning("assistant request failed", code=body["code"], error=repr(exc))
        response = problem_response(body)
        if (wait := getattr(exc, "wait", None)) is not None:
            response["Retry-After"] = str(int(wait))
        if isinstance(exc, exceptions.MethodNotAllowed):
            response["Allow"] = ", ".join(self.allowed_methods)
        return response


def json_body(request: HttpRequest) -> Any:
    """The JSON body under the API's one set of parsing rules; a body that is not JSON is 415."""
    if request.body and request.content_type != "application/json":
        raise exceptions.UnsupportedMediaType(request.content_type or "none")
    return parse_json(request.body)


def validated(serializer_class: type[Any], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def answer_json(body: dict[str, Any], offline: bool) -> JsonResponse:
    response = JsonResponse(body)
    if offline:
        response[OFFLINE_HEADER] = OFFLINE_NOTICE
    return response


UPSTREAM_PROBLEMS = {
    502: "The model server failed (`upstream_error`), could not be reached or cut the "
    "connection (`upstream_unavailable`), or answered malformed data (`upstream_malformed`).",
    503: "The model server is rate limiting us (`upstream_rate_limited`), or the database is "
    "not answering (`database_unavailable`).",
    504: "The model did not answer within AI_TIMEOUT seconds (`upstream_timeout`).",
}
THROTTLED = {429: "Over AI_RATE_LIMIT for this client (`code`: `throttled`); see Retry-After."}
AI_PROBLEMS = THROTTLED | UPSTREAM_PROBLEMS
QUESTION_INVALID = {400: "`question` is missing, blank or longer than 2000 characters."}
ASK_INVALID = {
    400: "`question` is missing, blank or longer than 2000 characters, or `conversation` is not "
    "an id of 32 URL-safe characters.",
    404: "`conversation` names no conversation open to this client: unknown, expired (idle "
    "longer than AI_CONVERSATION_HOURS) or started by another client.",
}


class AskView(AsyncEndpoint):
    """Streams the assistant's answer to `?question=` as Server-Sent Events."""

    @extend_schema(
        tags=["assistant"],
        operation_id="ai_ask",
        summary="Ask the assistant (Server-Sent Events)",
        description=ASK_EVENTS,
        parameters=[AskSerializer],
        responses={
            (200, "text/event-stream"): OpenApiResponse(
                ASK_EVENT_SCHEMA, description="The event stream described above."
            ),
            **problem_responses(400, 404, 429, descriptions=ASK_INVALID | THROTTLED),
        },
    )
    async def get(self, request: HttpRequest) -> HttpResponseBase:
        asked = validated(AskSerializer, request.GET)
        return await answer_stream(request, asked, session_key(request))


async def answer_stream(
    request: HttpRequest,
    asked: dict[str, Any],
    owner: str | None,
    answer: Answer | None = None,
) -> StreamingHttpResponse:
    """The event stream of `answer` (None: the public assistant's) to the question `asked`, in
    the conversation it names (or a new one), bound to `owner` (the session's key; None: whoever
    holds the id).
    """
    if conversation_id := asked.get("conversation"):  # read first: a 404 is still possible
        thread = await database_call(conversation_continue)(
            conversation_id=conversation_id, session_key=owner
        )
    else:  # no database work before the first byte: stored with its first turn
        thread = conversation_start(session_key=owner)
    events = ask_events(asked["question"], thread, current_request_id(), answer)
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    for name, value in SSE_HEADERS.items():
        response[name] = value
    if keeps_connection(request):
        response["Connection"] = "keep-alive"
    if is_offline():
        response[OFFLINE_HEADER] = OFFLINE_NOTICE
    return response


def staff_user(request: HttpRequest) -> AbstractUser:
    """The request's user if they are active staff; PermissionDenied (403) otherwise."""
    user = get_user(request)
    if not user.is_authenticated:
        raise exceptions.PermissionDenied(
            "Log in to the back office first.", code="not_authenticated"
        )
    if not (isinstance(user, AbstractUser) and user.is_active and user.is_staff):
        raise exceptions.PermissionDenied("Only staff may ask the staff assistant.")
    return user


class StaffAskView(AsyncEndpoint):
    """Streams the staff assistant's answer to `?question=`: GET /admin/assistant/ask, staff only.

    The back office's session authenticates: anonymous callers get a 403 problem with the code
    `not_authenticated`, users who are not active staff one with `permission_denied` (an
    EventSource could not follow the admin's redirect to its login page). The parameters, the
    events and the AI rate limit are the public ask's. Its conversations are bound to the user
    and their session under another owner than the public assistant's, so neither endpoint
    continues the other's conversations.
    """

    @extend_schema(exclude=True)  # the back office's, not part of the API
    async def get(self, request: HttpRequest) -> HttpResponseBase:
        from assistant.staff import staff_answer_chunks  # Semantic Kernel (see SERVER_PRELOAD)

        user = await database_call(staff_user)(request)
        asked = validated(AskSerializer, request.GET)
        owner = f"staff {user.pk} {request.session.session_key}"
        return await answer_stream(request, asked, owner, partial(staff_answer_chunks, user=user))


class SummaryView(AsyncEndpoint):
    """A film's title, rating and the store's recommendation, checked against the database."""

    @extend_schema(
        tags=["assistant"],
        operation_id="ai_summary",
        summary="Summarise a film as strict JSON",
        description="The model is asked for `{title, rating, recommended}` with a JSON-schema "
        "`response_format`; the answer is always the database's: `recommended` is true when the "
        "rating is R or NC-17 and the rental rate is below 3.00. Disagreements are logged.",
        request=SummaryRequestSerializer,
        responses={
            200: FilmSummarySerializer,
            **problem_responses(400, 404, 415, 429, 502, 503, 504, descriptions=AI_PROBLEMS),
        },
    )
    async def post(self, request: HttpRequest) -> HttpResponseBase:
        from assistant import services  # Semantic Kernel, on first use (see SERVER_PRELOAD)

        film_id = validated(SummaryRequestSerializer, json_body(request))["film_id"]
        summary, asked_model = await services.film_summary(film_id)
        return answer_json(summary.model_dump(), offline=not asked_model)


class HandoffView(AsyncEndpoint):
    """SearchAgent answers from PostgreSQL when a film is named; LLMAgent answers the rest."""

    @extend_schema(
        tags=["assistant"],
        operation_id="ai_handoff",
        summary="Route a question to SearchAgent or LLMAgent",
        description="A question naming a catalogue film is answered by SearchAgent from "
        "PostgreSQL (title, category, rental rate); anything else goes to LLMAgent (the model).",
        request=HandoffRequestSerializer,
        responses={
            200: HandoffAnswerSerializer,
            **problem_responses(
                400, 415, 429, 502, 503, 504, descriptions=AI_PROBLEMS | QUESTION_INVALID
            ),
        },
    )
    async def post(self, request: HttpRequest) -> HttpResponseBase:
        from assistant import services  # Semantic Kernel, on first use (see SERVER_PRELOAD)

        question = validated(HandoffRequestSerializer, json_body(request))["question"]
        answer = await services.handoff(question)
        body = {"agent": answer.agent, "answer": answer.answer}
        return answer_json(body, offline=is_offline())
