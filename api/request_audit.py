"""Every state-changing request of an authenticated principal leaves one audit entry.

Domain entries (``conversation_created``, ``review_decided``...) also name the principal; this
one records the request itself — method, path, status — including refused ones (403/404), so
probing another tenant's ids shows up in the log.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.principals import Principal
from core.db.models import AuditEntry

log = logging.getLogger(__name__)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RequestAuditMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        status = {"code": 500}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            principal = scope.get("state", {}).get("principal")
            if isinstance(principal, Principal):
                await _record(scope, principal, status["code"])


async def _record(scope: Scope, principal: Principal, status: int) -> None:
    try:
        container = scope["app"].state.container
        async with container.sessions() as session:
            session.add(
                AuditEntry(
                    tenant_id=principal.tenant_id,
                    actor=principal.role,
                    principal=principal.label,
                    action="http_request",
                    entity_type="request",
                    entity_id=str(status),
                    details={"method": scope["method"], "path": scope["path"], "status": status},
                )
            )
            await session.commit()
    except Exception:  # the response is already sent; a failed audit write is logged loudly
        log.exception("could not audit %s %s", scope["method"], scope["path"])
