"""Cross-worker coordination: per-conversation turn locks, rate limits and live events.

Backed by Redis when ``HM_REDIS_URL`` is set (several API workers share it); otherwise by a
single-process in-memory fallback with the same interface.

When Redis cannot be reached, locks and rate limits raise ``DependencyUnavailable`` (a 503 with
``Retry-After``; callers decide how to degrade: an emergency turn still goes out), live events
are best-effort (``publish`` returns False, durable records stay in the database), and a lock
that cannot be released is left to expire by its TTL.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.errors import DependencyUnavailable
from core.locks import Lease, busy, redis_turn_lock

log = logging.getLogger(__name__)
_UNREACHABLE = (OSError, RedisError)


def unavailable(exc: BaseException) -> DependencyUnavailable:
    return DependencyUnavailable(
        f"coordination service (Redis) unreachable: {type(exc).__name__}",
        message_zh="服务暂时不可用，请稍后重试",
        code="coordination_unavailable",
        details={"dependency": "redis"},
    )


class Coordinator(Protocol):
    def turn_lock(
        self, key: str, ttl_s: float, wait_s: float
    ) -> AbstractAsyncContextManager[Lease]: ...
    async def hit_rate_limit(self, key: str, limit: int, window_s: int) -> bool: ...
    async def publish(self, channel: str, event: dict[str, Any]) -> bool: ...
    def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]: ...
    async def ping(self) -> bool: ...
    async def close(self) -> None: ...


class RedisCoordinator:
    def __init__(self, client: Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def _k(self, key: str) -> str:
        return f"{self.prefix}{key}"

    @asynccontextmanager
    async def turn_lock(self, key: str, ttl_s: float, wait_s: float) -> AsyncIterator[Lease]:
        """A renewed lease with a fencing token (``core.locks``)."""
        lock = redis_turn_lock(self.client, self._k(f"lock:{key}"), ttl_s, wait_s)
        try:
            lease = await lock.__aenter__()
        except _UNREACHABLE as exc:
            raise unavailable(exc) from exc
        try:
            yield lease
        except BaseException as exc:
            if not await lock.__aexit__(type(exc), exc, exc.__traceback__):
                raise
        else:
            await lock.__aexit__(None, None, None)

    async def hit_rate_limit(self, key: str, limit: int, window_s: int) -> bool:
        """Count one hit; True when the key is over its limit in the current window."""
        name = self._k(f"rate:{key}:{int(time.time() // window_s)}")
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, window_s + 1)
                count, _ = await pipe.execute()
        except _UNREACHABLE as exc:
            raise unavailable(exc) from exc
        return int(count) > limit

    async def publish(self, channel: str, event: dict[str, Any]) -> bool:
        """Best-effort live event: False (logged) when Redis cannot be reached."""
        try:
            await self.client.publish(self._k(f"events:{channel}"), json.dumps(event, default=str))
        except _UNREACHABLE:
            log.warning(
                "live event %s on %s not published: Redis unreachable", event.get("kind"), channel
            )
            return False
        return True

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        pubsub = self.client.pubsub()
        await pubsub.subscribe(self._k(f"events:{channel}"))
        try:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    yield json.loads(message["data"])
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def ping(self) -> bool:
        try:
            return bool(await self.client.ping())
        except _UNREACHABLE:
            return False

    async def close(self) -> None:
        await self.client.aclose()


class InMemoryCoordinator:
    """Single-process fallback: correct for one worker only."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._counts: dict[str, int] = defaultdict(int)
        self._fences: dict[str, int] = defaultdict(int)
        self._queues: dict[str, list[asyncio.Queue[dict[str, Any]]]] = defaultdict(list)

    @asynccontextmanager
    async def turn_lock(self, key: str, ttl_s: float, wait_s: float) -> AsyncIterator[Lease]:
        lock = self._locks[key]
        try:
            await asyncio.wait_for(lock.acquire(), timeout=wait_s)
        except TimeoutError:
            raise busy() from None
        self._fences[key] += 1
        try:
            yield Lease(key=key, token=self._fences[key])
        finally:
            lock.release()

    async def hit_rate_limit(self, key: str, limit: int, window_s: int) -> bool:
        name = f"{key}:{int(time.time() // window_s)}"
        self._counts[name] += 1
        return self._counts[name] > limit

    async def publish(self, channel: str, event: dict[str, Any]) -> bool:
        for queue in list(self._queues[channel]):
            queue.put_nowait(event)
        return True

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._queues[channel].append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues[channel].remove(queue)

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        return None


def make_coordinator(redis_url: str | None, prefix: str) -> Coordinator:
    if not redis_url:
        return InMemoryCoordinator()
    client = Redis.from_url(redis_url, decode_responses=True, socket_connect_timeout=2.0)
    return RedisCoordinator(client, prefix)
