"""One place that maps errors to HTTP status and a JSON body: never a 500 for bad input."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.request_context import get_language
from api.schemas import ErrorBody
from core.db.session import database_unreachable_errors
from core.errors import DependencyUnavailable, RateLimited, ServiceError

log = logging.getLogger(__name__)


class ErrorEnvelope(BaseModel):
    """Every error answer: ``{"error": {"code", "message", "field", "details"}}``."""

    error: ErrorBody


_ERRORS = {
    400: "The body cannot be read (not UTF-8 / not JSON).",
    401: "No credential, or one that is not valid (unknown, expired, revoked).",
    403: "The credential does not admit this operation (wrong role, missing scope, CSRF).",
    404: "Not found (or another tenant's record).",
    405: "Method not allowed (see the Allow header).",
    409: "Conflict with the current state (already decided, turn in progress...).",
    413: "The request body is too large.",
    422: "Invalid request, or a domain rule it breaks (stable code in the body).",
    429: "Too many requests (see Retry-After).",
    503: "A dependency or the model is unavailable (see Retry-After); nothing was stored.",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": text} for status, text in _ERRORS.items()
}
"""Listed on every operation of the OpenAPI document: the statuses the service may answer."""


def _allowed_methods(request: Request) -> list[str]:
    """Every method the OpenAPI document lists for this path (Starlette names only the
    methods of the first route it matched)."""
    path = request.url.path
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return sorted(m.upper() for m in operations if m.upper() in _METHODS)
    return []


_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        if exc.http_status >= 500:
            log.error("service error %s on %s", exc.instance_code, request.url.path)
        headers = None
        retry_after = exc.retry_after_s
        if isinstance(exc, RateLimited):
            # the sliding window says how long until a slot frees up
            retry_after = int(exc.details.get("retry_after_s", retry_after or 60))
        if retry_after is not None:
            headers = {"Retry-After": str(retry_after)}
        return JSONResponse(
            status_code=exc.http_status,
            content={"error": exc.to_body(get_language(request))},
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        field = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        zh = get_language(request) == "zh"
        message = f"{field or 'request'}: {first.get('msg', 'invalid')}"
        return JSONResponse(
            status_code=422,
            content={
                "error": {
                    "code": "invalid_request",
                    "message": ("请求无效：" + message) if zh else f"Invalid request: {message}",
                    "field": field or None,
                    "details": {
                        "errors": [
                            {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg")}
                            for e in errors[:10]
                        ]
                    },
                }
            },
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {"Allow": ", ".join(_allowed_methods(request))}
        return JSONResponse(
            status_code=exc.status_code,
            content={"error": {"code": code, "message": str(exc.detail)}},
            headers=headers,
        )

    for lost in database_unreachable_errors():

        @app.exception_handler(lost)
        async def database_lost(request: Request, exc: Exception) -> JSONResponse:
            log.error("database connection lost on %s: %s", request.url.path, type(exc).__name__)
            error = DependencyUnavailable(
                "the database connection was lost; nothing of this request was kept, retry",
                message_zh="数据库连接中断，本次请求未保存，请重试",
                code="database_unavailable",
                details={"dependency": "database"},
            )
            return await service_error(request, error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse(
            status_code=500,
            content={"error": {"code": "internal_error", "message": "internal error"}},
        )
