"""Live events of one conversation for the patient's app: what a health manager sends.

A held answer is released (or edited, or replaced) by a manager while the patient's app is
open; the app listens here and shows the manager's message in the same thread, no reload.
Events come from the tenant's live channel (Redis pub/sub, or the in-process fallback).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from api.container import Container
from api.schemas import MessagePublic
from api.services.conversations import ConversationScope
from core.db.models import Message, ReviewItem

HEARTBEAT_S = 15.0
LiveEvent = tuple[str, dict[str, Any]]


def open_conversation_events(
    c: Container, scope: ConversationScope, heartbeat_s: float = HEARTBEAT_S
) -> AsyncIterator[LiveEvent]:
    """The stream of a conversation the caller may see (the scope was checked and loaded
    before any byte is sent: another tenant's or another patient's conversation is a 404)."""
    conversation = scope.conversation
    return _events(c, conversation.tenant_id, conversation.id, heartbeat_s)


async def _events(
    c: Container, tenant_id: str, conversation_id: str, heartbeat_s: float
) -> AsyncIterator[LiveEvent]:
    """``ready`` once subscribed, ``message`` per manager decision (a MessagePublic plus
    ``held_message_id``), ``ping`` when idle."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    subscribed = asyncio.Event()

    async def pump() -> None:
        subscription = c.coordinator.subscribe(f"tenant:{tenant_id}")
        first = asyncio.ensure_future(anext(subscription))
        try:
            await asyncio.sleep(0.05)  # the subscription registers on its first step
            subscribed.set()
            queue.put_nowait(await first)
            async for event in subscription:
                queue.put_nowait(event)
        finally:  # unsubscribe (Redis: close the pub/sub connection) when the client leaves
            first.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await first
            close = getattr(subscription, "aclose", None)
            if close is not None:
                await close()

    task = asyncio.create_task(pump())
    try:
        await subscribed.wait()
        yield "ready", {"conversation_id": conversation_id}
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), heartbeat_s)
            except TimeoutError:
                yield "ping", {}
                continue
            if event.get("conversation_id") != conversation_id:
                continue
            if event.get("kind") == "review_decided":
                decided = await _decided(c, str(event.get("message_id")), event)
                if decided is not None:
                    yield "message", decided
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
            await task


async def _decided(c: Container, message_id: str, event: dict[str, Any]) -> dict[str, Any] | None:
    """The manager's message, with ``held_message_id``: the held reply it answers."""
    async with c.sessions() as session:
        row = await session.get(Message, message_id)
        if row is None:
            return None
        item = await session.get(ReviewItem, str(event.get("review_item_id")))
        message = MessagePublic.model_validate(row, from_attributes=True).model_dump(mode="json")
        return {**message, "held_message_id": item.message_id if item else None}
