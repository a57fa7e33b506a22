"""The webhook delivery worker: outbox events → deliveries → signed POSTs, retried with backoff.

At least once: a delivery is claimed (its next attempt pushed past the attempt's timeout, so a
crashed worker's claim simply expires and another worker, or the restarted one, retries it),
POSTed, then marked delivered or rescheduled (``HM_WEBHOOK_BACKOFF_S`` doubling, capped at an
hour) until ``HM_WEBHOOK_MAX_ATTEMPTS``, then failed. On PostgreSQL, claims use
``FOR UPDATE SKIP LOCKED`` so several API workers can run this at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from api.container import Container
from core import webhook_signing
from core.db.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

log = logging.getLogger(__name__)
BATCH = 20
MAX_BACKOFF_S = 3600.0


def _now() -> datetime:
    return datetime.now(UTC)


async def dispatch_events(c: Container) -> int:
    """Fan undispatched events out to their tenant's subscribed, active endpoints."""
    async with c.sessions() as session:
        events = list(
            await session.scalars(
                select(WebhookEvent)
                .where(WebhookEvent.dispatched.is_(False))
                .order_by(WebhookEvent.created_at)
                .limit(100)
                .with_for_update(skip_locked=True)
            )
        )
        for event in events:
            query = select(WebhookEndpoint).where(
                WebhookEndpoint.tenant_id == event.tenant_id, WebhookEndpoint.active.is_(True)
            )
            if event.endpoint_id is not None:
                query = query.where(WebhookEndpoint.id == event.endpoint_id)
            for endpoint in await session.scalars(query):
                if event.endpoint_id is not None or event.type in endpoint.events:
                    session.add(
                        WebhookDelivery(
                            event_id=event.id, endpoint_id=endpoint.id, tenant_id=event.tenant_id
                        )
                    )
            event.dispatched = True
        await session.commit()
        return len(events)


async def _claim(c: Container) -> list[str]:
    lease = timedelta(seconds=c.settings.webhook_timeout_s + 30)
    async with c.sessions() as session:
        due = list(
            await session.scalars(
                select(WebhookDelivery)
                .where(
                    WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= _now()
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        )
        for delivery in due:
            delivery.next_attempt_at = _now() + lease
        await session.commit()
        return [d.id for d in due]


def body_of(event: WebhookEvent) -> bytes:
    return json.dumps(
        {
            "id": event.id,
            "type": event.type,
            "tenant_id": event.tenant_id,
            "created_at": event.created_at.isoformat(),
            "data": event.payload,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


async def _deliver(c: Container, client: httpx.AsyncClient, delivery_id: str) -> None:
    async with c.sessions() as session:
        delivery = await session.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        event = await session.get(WebhookEvent, delivery.event_id)
        endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id)
        assert event is not None and endpoint is not None
        body, timestamp = body_of(event), int(time.time())
        headers = {
            "content-type": "application/json",
            "X-HM-Event": event.type,
            "X-HM-Event-Id": event.id,
            "Idempotency-Key": event.id,
            "X-HM-Timestamp": str(timestamp),
            "X-HM-Signature": webhook_signing.signature(endpoint.secret, timestamp, body),
        }
        started = time.perf_counter()
        status, error = None, None
        try:
            response = await client.post(endpoint.url, content=body, headers=headers)
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        delivery.attempts += 1
        session.add(
            WebhookAttempt(
                delivery_id=delivery.id,
                attempt=delivery.attempts,
                status_code=status,
                error=error,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
        )
        delivery.last_status_code, delivery.last_error = status, error
        if status is not None and 200 <= status < 300:
            delivery.status, delivery.delivered_at = "delivered", _now()
        elif delivery.attempts >= c.settings.webhook_max_attempts:
            delivery.status = "failed"
        else:
            wait = min(c.settings.webhook_backoff_s * 2 ** (delivery.attempts - 1), MAX_BACKOFF_S)
            delivery.next_attempt_at = _now() + timedelta(seconds=wait)
        await session.commit()


async def run_once(c: Container, client: httpx.AsyncClient) -> int:
    """One pass: dispatch new events, attempt every due delivery; the number attempted."""
    await dispatch_events(c)
    claimed = await _claim(c)
    for delivery_id in claimed:
        await _deliver(c, client, delivery_id)
    return len(claimed)


@asynccontextmanager
async def webhook_worker(c: Container) -> AsyncIterator[None]:
    """Deliver webhooks for the app's lifetime."""
    stop = asyncio.Event()

    async def loop() -> None:
        async with httpx.AsyncClient(timeout=c.settings.webhook_timeout_s) as client:
            while not stop.is_set():
                try:
                    await run_once(c, client)
                except Exception:  # one bad pass never stops delivery; it is logged
                    log.exception("webhook delivery pass failed")
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=c.settings.webhook_poll_s)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=c.settings.webhook_timeout_s + 5)
        except Exception:
            log.exception("webhook worker stopped with an error")
