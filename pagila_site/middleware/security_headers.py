"""Browser-facing security: one Content-Security-Policy for the HTML pages, and opt-in CORS."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers

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
# What a cross-origin API client may send and read (when its origin is allowed).
CORS_ALLOW_METHODS = "GET, POST, OPTIONS"
CORS_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-ID"
CORS_EXPOSE_HEADERS = "Location, Retry-After, X-Request-ID, Idempotent-Replayed"
# Seconds a browser may cache a preflight answer.
CORS_MAX_AGE = 600


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


class CorsMiddleware(HookMiddleware):
    """Cross-origin access to /api/ for the origins in CORS_ALLOWED_ORIGINS only (none by default).

    An allowed origin gets `Access-Control-Allow-Origin` on its responses and a 204 to its
    preflight; any other origin gets no CORS header at all, so browsers keep the API closed to
    it. No credentials are allowed: the API token is a header, never a cookie.
    """

    @staticmethod
    def allowed_origin(request: HttpRequest) -> str | None:
        origin = request.headers.get("Origin", "")
        allowed = settings.CORS_ALLOWED_ORIGINS
        if origin and request.path.startswith("/api/") and origin in allowed:
            return origin
        return None

    def before(self, request: HttpRequest) -> HttpResponseBase | None:
        asks = "Access-Control-Request-Method" in request.headers
        if request.method != "OPTIONS" or not asks or self.allowed_origin(request) is None:
            return None
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = CORS_ALLOW_METHODS
        response["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
        response["Access-Control-Max-Age"] = str(CORS_MAX_AGE)
        return self.after(request, response)

    def after(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if settings.CORS_ALLOWED_ORIGINS and request.path.startswith("/api/"):
            patch_vary_headers(response, ["Origin"])
        origin = self.allowed_origin(request)
        if origin is not None:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
        return response
