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
import uuid
from collections import defaultdict, deque
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
    async def sliding_window(self, key: str, limit: int, window_s: float) -> float | None: ...
    async def publish(self, channel: str, event: dict[str, Any]) -> bool: ...
    def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]: ...
    async def ping(self) -> bool: ...
    async def close(self) -> None: ...


_SLIDING_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return '-1'
"""


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

    async def sliding_window(self, key: str, limit: int, window_s: float) -> float | None:
        """Admit one hit unless ``limit`` hits fell in the last ``window_s`` seconds (a true
        sliding window, atomic in Redis, on Redis' clock); else the seconds until one frees."""
        try:
            wait = await self.client.eval(
                _SLIDING_WINDOW, 1, self._k(f"window:{key}"), limit, window_s, uuid.uuid4().hex
            )
        except _UNREACHABLE as exc:
            raise unavailable(exc) from exc
        seconds = float(wait)
        return None if seconds < 0 else max(seconds, 0.001)

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
            await pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]  # typed from redis 8

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
        self._windows: dict[str, deque[float]] = defaultdict(deque)
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

    async def sliding_window(self, key: str, limit: int, window_s: float) -> float | None:
        now = time.monotonic()
        hits = self._windows[key]
        while hits and hits[0] <= now - window_s:
            hits.popleft()
        if len(hits) >= limit:
            return max(hits[0] + window_s - now, 0.001)
        hits.append(now)
        return None

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
