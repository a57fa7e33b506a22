"""The HTTP edge: security headers on every response, CORS from settings, docs by mode.

Headers: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``,
``X-Frame-Options: DENY``, a Content-Security-Policy (API responses load nothing; the
interactive docs may load their assets from the CDN FastAPI uses), and
``Strict-Transport-Security`` when the request came over TLS (``--proxy-headers`` behind a
proxy) or ``HM_HSTS`` is set. ``hm serve`` turns uvicorn's ``server`` banner off.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.settings import Settings

API_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DOCS_CSP = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    b"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    b"img-src 'self' data: https://fastapi.tiangolo.com; frame-ancestors 'none'"
)
WEB_CSP = (
    b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; media-src 'self' blob:; "
    b"worker-src 'self'; manifest-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    b"base-uri 'none'; form-action 'self'"
)
"""The patient mini-app and the console: their own scripts only (nothing inline, nothing from
another origin); inline style attributes are allowed for the charts."""
HSTS = b"max-age=31536000; includeSubDomains"
DOCS_PATHS = ("/docs", "/redoc")
WEB_PATHS = ("/app", "/console")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        csp = DOCS_CSP if path.startswith(DOCS_PATHS) else API_CSP
        if path.startswith(WEB_PATHS):
            csp = WEB_CSP
        tls = self.hsts or scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", csp),
                ]
                if tls:
                    headers.append((b"strict-transport-security", HSTS))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def docs_off(settings: Settings) -> bool:
    """The interactive docs are off in production (``/openapi.json`` stays published)."""
    return settings.environment == "production"


def install_edges(app: FastAPI, settings: Settings) -> None:
    if settings.cors_allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allowed_origins,
            allow_methods=["GET", "POST", "PUT"],
            allow_headers=["content-type", "authorization", "x-tenant-id", "accept-language"],
            expose_headers=["retry-after"],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders, hsts=settings.hsts)
