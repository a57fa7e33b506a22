"""A tenant's webhooks: endpoints, the outbox events its changes write, the delivery log.

Events (``type``): ``escalation`` (an emergency reply and manager alert), ``answer.held`` (the
reviewer held a draft), ``review.decided`` (a manager approved, edited or rejected one),
``alert`` (a reading alert created or escalated), ``referral`` (created, or its status changed),
``consent.changed`` (granted or revoked), ``webhook.test``. Payloads carry ids and codes, never
message texts or readings: the receiver fetches what it may see through the API.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from core.errors import NotFound, ValidationFailed

EVENT_OF_ACTION = {
    "escalated": "escalation",
    "turn_held": "answer.held",
    "review_approved": "review.decided",
    "review_edited": "review.decided",
    "review_rejected": "review.decided",
    "alert_created": "alert",
    "alert_escalated": "alert",
    "referral_created": "referral",
    "referral_emergency_call_120": "referral",
    "referral_status_changed": "referral",
    "consent_granted": "consent.changed",
    "consent_revoked": "consent.changed",
}
EVENT_TYPES = sorted({*EVENT_OF_ACTION.values(), "webhook.test"})


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: HttpUrl = Field(description="http(s) URL that receives POSTed events")
    events: list[str] | None = Field(
        None, max_length=20, description=f"Absent: every event. Known: {', '.join(EVENT_TYPES)}"
    )


class WebhookPublic(BaseModel):
    id: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str
    """The signing secret, shown once."""


class AttemptPublic(BaseModel):
    attempt: int
    status_code: int | None
    error: str | None
    duration_ms: float
    at: datetime


class DeliveryPublic(BaseModel):
    id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    delivered_at: datetime | None
    log: list[AttemptPublic]


def add_outbox_event(
    session: AsyncSession, tenant_id: str, action: str, entity: dict[str, Any]
) -> None:
    """In the caller's transaction: the event of an audited change, if it is one."""
    kind = EVENT_OF_ACTION.get(action)
    if kind is not None:
        session.add(
            WebhookEvent(tenant_id=tenant_id, type=kind, payload={"action": action, **entity})
        )


def webhook_not_found(webhook_id: str) -> NotFound:
    return NotFound(
        f"webhook {webhook_id!r} not found", message_zh="未找到该 webhook", code="webhook_not_found"
    )


def _public(row: WebhookEndpoint) -> WebhookPublic:
    return WebhookPublic(
        id=row.id,
        url=row.url,
        events=list(row.events),
        active=row.active,
        created_at=row.created_at,
    )


async def create_webhook(
    session: AsyncSession, tenant_id: str, body: WebhookCreate, *, require_https: bool = False
) -> WebhookCreated:
    if require_https and body.url.scheme != "https":
        raise ValidationFailed(
            "webhook URLs must be https in production", code="https_required", field="url"
        )
    events = sorted(set(body.events or EVENT_TYPES))
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise ValidationFailed(
            f"unknown events {unknown}; known: {EVENT_TYPES}", code="unknown_event", field="events"
        )
    row = WebhookEndpoint(
        tenant_id=tenant_id,
        url=str(body.url),
        secret=f"whsec_{secrets.token_urlsafe(32)}",
        events=events,
    )
    session.add(row)
    await session.commit()
    return WebhookCreated(**_public(row).model_dump(), secret=row.secret)


async def list_webhooks(session: AsyncSession, tenant_id: str) -> list[WebhookPublic]:
    rows = await session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.tenant_id == tenant_id)
        .order_by(WebhookEndpoint.created_at)
    )
    return [_public(r) for r in rows]


async def _own(session: AsyncSession, tenant_id: str, webhook_id: str) -> WebhookEndpoint:
    row = await session.get(WebhookEndpoint, webhook_id)
    if row is None or row.tenant_id != tenant_id:
        raise webhook_not_found(webhook_id)
    return row


async def disable_webhook(session: AsyncSession, tenant_id: str, webhook_id: str) -> WebhookPublic:
    row = await _own(session, tenant_id, webhook_id)
    row.active = False
    await session.commit()
    return _public(row)


async def send_test_event(session: AsyncSession, tenant_id: str, webhook_id: str) -> dict[str, str]:
    row = await _own(session, tenant_id, webhook_id)
    event = WebhookEvent(
        tenant_id=tenant_id, type="webhook.test", endpoint_id=row.id, payload={"webhook_id": row.id}
    )
    session.add(event)
    await session.commit()
    return {"event_id": event.id, "type": event.type}


async def list_deliveries(
    session: AsyncSession, tenant_id: str, webhook_id: str, limit: int = 100
) -> list[DeliveryPublic]:
    await _own(session, tenant_id, webhook_id)
    rows = (
        await session.execute(
            select(WebhookDelivery, WebhookEvent.type)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.endpoint_id == webhook_id)
            .order_by(WebhookDelivery.created_at.desc())
            .limit(limit)
        )
    ).all()
    out = []
    for delivery, event_type in rows:
        attempts = await session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id == delivery.id)
            .order_by(WebhookAttempt.attempt)
        )
        out.append(
            DeliveryPublic(
                id=delivery.id,
                event_id=delivery.event_id,
                event_type=event_type,
                status=delivery.status,
                attempts=delivery.attempts,
                next_attempt_at=delivery.next_attempt_at,
                last_status_code=delivery.last_status_code,
                delivered_at=delivery.delivered_at,
                log=[AttemptPublic.model_validate(a, from_attributes=True) for a in attempts],
            )
        )
    return out
