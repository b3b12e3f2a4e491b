"""Content negotiation: DRF's own, with the usual request's answer given without parsing."""

from __future__ import annotations

from collections.abc import Iterable

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class PlainAcceptNegotiation(DefaultContentNegotiation):
    """DRF's DefaultContentNegotiation, answered at once when the request leaves no choice.

    A request with no Accept header, `Accept: */*` or exactly the first renderer's media type,
    and no `?format=` or format suffix, gets the first renderer and its media type, which is
    what DRF's parsing of the header would pick; any other request is negotiated by DRF.
    Almost every API request is of the first kind, and the parsing costs more than rendering a
    small body.
    """

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        first = renderers[0] if renderers else None
        if first is not None and not format_suffix and not self.format_in_query(request):
            accept = request.META.get("HTTP_ACCEPT")
            if accept is None or accept in ("*/*", first.media_type):
                return first, first.media_type
        chosen: tuple[BaseRenderer, str]
        chosen = super().select_renderer(request, renderers, format_suffix)
        return chosen

    def format_in_query(self, request: Request) -> bool:
        """Whether `?format=` (URL_FORMAT_OVERRIDE) asks for a format."""
        override = self.settings.URL_FORMAT_OVERRIDE
        return bool(override) and override in request.query_params
