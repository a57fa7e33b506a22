"""Live events for the manager console: the tenant's pub/sub channel as server-sent events.

The channel is the one every turn, alert and review decision already publishes to
(``tenant:<id>``, Redis pub/sub or the in-memory fallback). A stream stays open for
``console_stream_s`` seconds, then ends with a ``retry`` hint, and the browser's EventSource
reconnects; on every (re)connect the console re-reads the board, so an event published while
no stream was open is never missed for long.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from api.container import Container

RETRY_MS = 1000
HEARTBEAT_S = 15.0


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


async def console_events(c: Container, tenant_id: str) -> AsyncIterator[str]:
    """``ready``, then each event of the tenant's channel, until the stream's time is up."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def pump() -> None:
        async for event in c.coordinator.subscribe(f"tenant:{tenant_id}"):
            if event.get("tenant_id", tenant_id) == tenant_id:
                await queue.put(event)

    task = asyncio.create_task(pump())
    await asyncio.sleep(0)  # let the subscription register before "ready"
    deadline = time.monotonic() + c.settings.console_stream_s
    try:
        yield f"retry: {RETRY_MS}\n\n" + sse("ready", {"tenant_id": tenant_id})
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=min(left, HEARTBEAT_S))
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield sse(str(event.get("kind", "event")), event)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
