"""FastAPI app factory: lifespan builds the container once; routers are thin."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from agent.llm.base import ChatProvider, ReviewerProvider
from api.auth import describe_access
from api.container import build_container
from api.edges import docs_off, install_edges
from api.errors import ERROR_RESPONSES, install_error_handlers
from api.limits import BodyLimit
from api.request_audit import RequestAuditMiddleware
from api.routes import (
    alerts,
    answer_labels,
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
from api.services.warmup import warm_up
from api.services.webhook_worker import webhook_worker
from api.web import mount_web
from api.web_console import mount_console
from core.settings import Settings, get_settings
from core.startup import startup_lock_async
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
        async with AsyncExitStack() as stack:
            # Migrations, the first ingest and the tenant seed run once: a worker starting
            # alongside others waits on the start-up lock, then finds the work done.
            async with startup_lock_async(settings.data_dir):
                container = await stack.enter_async_context(
                    build_container(settings, provider=provider, reviewer=reviewer)
                )
                await asyncio.to_thread(container.knowledge.ensure_index)
                async with container.sessions() as session:
                    await seed_tenants(session)
            await warm_up(container)  # ready means a turn is served without warm-up
            app.state.container = container
            await stack.enter_async_context(reminder_worker(container))
            await stack.enter_async_context(webhook_worker(container))
            yield

    app = FastAPI(
        title="Health-manager agent",
        version="0.1.0",
        description="Guideline answers with citations, care and money tools, a reviewing model, "
        "human supervision.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        docs_url=None if docs_off(settings) else "/docs",
        redoc_url=None if docs_off(settings) else "/redoc",
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
        answer_labels,
    ):
        app.include_router(describe_access(module.router))
    mount_console(app)
    # innermost first: the audit sees every routed request; the web pages are gzipped; the body
    # limit and the edge headers (CORS, security headers) wrap everything, errors included
    app.add_middleware(RequestAuditMiddleware)
    mount_web(app)
    app.add_middleware(BodyLimit)
    install_edges(app, settings)
    return app
