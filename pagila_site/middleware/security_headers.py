"""Browser-facing security: one Content-Security-Policy for the HTML pages, a Permissions-Policy."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from pagila_site.middleware.base import HookMiddleware

# Same-origin scripts, styles, fonts, images and connections only: no inline code, no CDN, no
# framing. `data:` images are Swagger UI's icons. The assistant page, the admin and the API docs
# all work under it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)
# What browsers may not use on any page of the site.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware(HookMiddleware):
    """Every HTML page gets CONTENT_SECURITY_POLICY unless its view set one; every response
    gets PERMISSIONS_POLICY.

    Django's SecurityMiddleware adds nosniff, Referrer-Policy and COOP, XFrameOptionsMiddleware
    `X-Frame-Options: DENY`. With DEBUG on, Django's own error pages (inline styles and script)
    are left without a policy so they stay readable.
    """

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        html = response.get("Content-Type", "").startswith("text/html")
        debug_page = settings.DEBUG and response.status_code >= 400
        if html and not debug_page:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
