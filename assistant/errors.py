"""Failures of the language model, sorted into the stable codes the API reports."""

from __future__ import annotations

import json

from rest_framework import status

from pagila_site.api.errors import DomainError


class UpstreamError(DomainError):
    """The model server answered with an error status (5xx, 4xx other than 429)."""

    status_code: int = status.HTTP_502_BAD_GATEWAY
    code = "upstream_error"
    title = "Bad gateway"
    message = "The language model server reported an error."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.message)


class UpstreamUnavailable(UpstreamError):
    """The model server could not be reached, or dropped the connection mid-answer."""

    code = "upstream_unavailable"
    message = "The language model server could not be reached or closed the connection."


class UpstreamMalformed(UpstreamError):
    """The model server sent something that is not the OpenAI chat-completions format."""

    code = "upstream_malformed"
    message = "The language model server sent a malformed response."


class UpstreamRateLimited(UpstreamError):
    """The model server said 429: our account or server is over its own limit."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "upstream_rate_limited"
    title = "Service unavailable"
    message = "The language model server is rate limiting us; try again later."


class UpstreamTimeout(UpstreamError):
    """The model did not answer (or stopped answering) within AI_TIMEOUT seconds."""

    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    code = "upstream_timeout"
    title = "Gateway timeout"
    message = "The language model did not answer in time."


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes (Semantic Kernel wraps SDK errors in its own)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def upstream_error_for(exc: BaseException) -> UpstreamError | None:
    """The UpstreamError an exception from the openai SDK (or SK around it) stands for, or None."""
    import openai  # here, not at the top: the views import this module, commands need no SDK

    for cause in _chain(exc):
        if isinstance(cause, UpstreamError):
            return cause
        if isinstance(cause, openai.APITimeoutError):  # before APIConnectionError: a subclass
            return UpstreamTimeout()
        if isinstance(cause, openai.APIConnectionError):
            return UpstreamUnavailable()
        if isinstance(cause, openai.RateLimitError):
            return UpstreamRateLimited()
        if isinstance(cause, openai.APIResponseValidationError | json.JSONDecodeError):
            return UpstreamMalformed()
        if isinstance(cause, openai.APIError):
            return UpstreamError()
    return None
