"""The per-conversation turn lock on Redis: a renewed lease with a fencing token.

Acquiring sets two keys atomically: the lock (value = the fencing token, a per-key counter;
TTL ``ttl_s``) and a short-lived *liveness* key. While the holder runs, a renewal task extends
both every ``HEARTBEAT_S`` (or a third of the TTL), so a turn longer than the TTL keeps its
lock. A holder that crashes stops renewing: its liveness key expires within ``ALIVE_S`` and
the next turn of the conversation breaks the stale lock at once instead of waiting for the
TTL. When a renewal finds the lock no longer holds its token (it expired during a Redis outage
and another worker took it), the lease is marked ``lost`` and the holder must not persist its
result.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.errors import Conflict

log = logging.getLogger(__name__)

HEARTBEAT_S = 0.5
ALIVE_S = 2.0
_UNREACHABLE = (OSError, RedisError)

_ACQUIRE = """
if redis.call('exists', KEYS[1]) == 1 then
  if redis.call('exists', KEYS[2]) == 1 then return 0 end
  redis.call('del', KEYS[1])
end
local token = redis.call('incr', KEYS[3])
redis.call('set', KEYS[1], token, 'px', ARGV[1])
redis.call('set', KEYS[2], token, 'px', ARGV[2])
redis.call('pexpire', KEYS[3], 86400000)
return token
"""
"""Take the lock if it is free or its holder is dead (no liveness key); return the token."""

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  redis.call('set', KEYS[2], ARGV[1], 'px', ARGV[3])
  return 1
end
return 0
"""

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[2])
  return redis.call('del', KEYS[1])
end
return 0
"""


@dataclass
class Lease:
    """What a turn holds: its fencing token, and whether the lock was lost meanwhile."""

    key: str
    token: int
    lost: bool = False

    def require_held(self) -> None:
        """Raise before persisting when another turn has taken the conversation."""
        if self.lost:
            raise Conflict(
                "the turn lost its lock to another turn of this conversation",
                message_zh="该对话已有新的消息在处理，本次结果未保存，请重试",
                code="turn_lock_lost",
                details={"token": self.token},
            )


def busy() -> Conflict:
    return Conflict(
        "another turn of this conversation is still running",
        message_zh="该对话的上一条消息仍在处理中，请稍候",
        code="turn_in_progress",
    )


@asynccontextmanager
async def redis_turn_lock(
    client: Redis, name: str, ttl_s: float, wait_s: float
) -> AsyncIterator[Lease]:
    """Hold ``name`` (a full key) for the block; ``Conflict`` after ``wait_s`` if busy.
    Redis errors while acquiring propagate (the caller maps them)."""
    alive, fence = f"{name}:alive", f"{name}:fence"
    ttl_ms, alive_ms = str(int(ttl_s * 1000)), str(int(ALIVE_S * 1000))
    deadline = time.monotonic() + wait_s
    while True:
        token = await client.eval(_ACQUIRE, 3, name, alive, fence, ttl_ms, alive_ms)
        if token:
            break
        if time.monotonic() >= deadline:
            raise busy()
        await asyncio.sleep(0.05)
    lease = Lease(key=name, token=int(token))
    every = min(HEARTBEAT_S, ttl_s / 3)
    renewer = asyncio.create_task(_renew(client, lease, alive, every, ttl_ms, alive_ms))
    try:
        yield lease
    finally:
        renewer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewer
        try:
            await client.eval(_RELEASE, 2, name, alive, str(lease.token))
        except _UNREACHABLE:  # the lock expires by its TTL, the liveness key sooner
            log.warning("turn lock %s could not be released: Redis unreachable", name)


async def _renew(
    client: Redis, lease: Lease, alive: str, every: float, ttl_ms: str, alive_ms: str
) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            held = await client.eval(
                _RENEW, 2, lease.key, alive, str(lease.token), ttl_ms, alive_ms
            )
        except _UNREACHABLE:
            log.warning("turn lock %s not renewed: Redis unreachable", lease.key)
            continue
        if not held:
            log.warning("turn lock %s lost (token %s)", lease.key, lease.token)
            lease.lost = True
            return
