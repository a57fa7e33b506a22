"""FastAPI app factory: lifespan builds the container once; routers are thin."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from agent.llm.base import ChatProvider, ReviewerProvider
from api.auth import describe_access
from api.container import build_container
from api.errors import install_error_handlers
from api.request_audit import RequestAuditMiddleware
from api.routes import (
    alerts,
    auth,
    chat_completions,
    console,
    conversations,
    health,
    knowledge,
    patients,
    referrals,
    review_queue,
    takeover,
    tenants,
    tools,
    webhooks,
)
from api.services.records import seed_tenants
from api.services.reminders import reminder_worker
from api.services.webhook_worker import webhook_worker
from api.web import mount_web
from api.web_console import mount_console
from core.settings import Settings, get_settings
from guardrails.tenant_policy import tenant_policies


def create_app(
    settings: Settings | None = None,
    *,
    provider: ChatProvider | None = None,
    reviewer: ReviewerProvider | None = None,
) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tenant_policies()  # loaded and validated once; a broken policy file stops the start
        async with build_container(settings, provider=provider, reviewer=reviewer) as container:
            await asyncio.to_thread(container.knowledge.ensure_index)
            # The first turn must not pay for loading the red-flag exemplars.
            await asyncio.to_thread(container.red_flags.detector)
            async with container.sessions() as session:
                await seed_tenants(session)
            app.state.container = container
            async with reminder_worker(container), webhook_worker(container):
                yield

    app = FastAPI(
        title="Health-manager agent",
        version="0.1.0",
        description="Guideline answers with citations, care and money tools, a reviewing model, "
        "human supervision.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    for module in (
        health,
        conversations,
        knowledge,
        tools,
        patients,
        referrals,
        alerts,
        review_queue,
        auth,
        tenants,
        webhooks,
        chat_completions,
        console,
        takeover,
    ):
        app.include_router(describe_access(module.router))
    mount_console(app)
    app.add_middleware(RequestAuditMiddleware)
    mount_web(app)
    return app
