"""A tenant's webhooks (tenant key with the admin scope): endpoints, test event, delivery log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import SessionDep
from api.deps import ContainerDep, OwnTenantAdmin
from api.services import webhooks as service

router = APIRouter(prefix="/v1/tenants/{tenant_id}/webhooks", tags=["webhooks"])


@router.post("", status_code=201)
async def create_webhook(
    c: ContainerDep, caller: OwnTenantAdmin, session: SessionDep, body: service.WebhookCreate
) -> service.WebhookCreated:
    """A new endpoint (https only in production); its signing ``secret`` is shown once."""
    production = c.settings.environment == "production"
    return await service.create_webhook(session, caller.tenant_id, body, require_https=production)


@router.get("")
async def list_webhooks(caller: OwnTenantAdmin, session: SessionDep) -> list[service.WebhookPublic]:
    return await service.list_webhooks(session, caller.tenant_id)


@router.post("/{webhook_id}/disable")
async def disable_webhook(
    caller: OwnTenantAdmin, session: SessionDep, webhook_id: str
) -> service.WebhookPublic:
    return await service.disable_webhook(session, caller.tenant_id, webhook_id)


@router.post("/{webhook_id}/test", status_code=202)
async def send_test_event(
    caller: OwnTenantAdmin, session: SessionDep, webhook_id: str
) -> dict[str, str]:
    """Queue a ``webhook.test`` event for this endpoint only."""
    return await service.send_test_event(session, caller.tenant_id, webhook_id)


@router.get("/{webhook_id}/deliveries")
async def list_deliveries(
    caller: OwnTenantAdmin,
    session: SessionDep,
    webhook_id: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[service.DeliveryPublic]:
    """The delivery log: each delivery with every attempt's status code or error."""
    return await service.list_deliveries(session, caller.tenant_id, webhook_id, limit)
