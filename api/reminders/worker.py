"""The delivery loop: claim due reminders, deliver, settle; bounded retries throughout."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from api.reminders.models import Reminder, WorkerStats
from core.errors import DependencyUnavailable

if TYPE_CHECKING:
    from api.reminders.scheduler import ReminderScheduler

logger = logging.getLogger(__name__)

Deliver = Callable[[Reminder], Awaitable[None]]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


async def _wait(stop_event: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop_event.wait(), timeout=seconds)


async def _deliver_batch(
    scheduler: ReminderScheduler,
    batch: list[Reminder],
    deliver: Deliver,
    clock: Clock,
    stats: WorkerStats,
    timeout_s: float,
) -> None:
    for reminder in batch:
        try:
            await asyncio.wait_for(deliver(reminder), timeout=timeout_s)
        except Exception as exc:  # any delivery failure is retried, bounded by the policy
            stats.failed += 1
            error = f"{type(exc).__name__}: {exc}"
            logger.warning("delivery of reminder %s failed: %s", reminder.id, error)
            if not await scheduler.fail(reminder, error, clock()):
                stats.dead += 1
            continue
        await scheduler.ack(reminder, clock())
        stats.delivered += 1


async def run_worker(
    scheduler: ReminderScheduler,
    deliver: Deliver,
    stop_event: asyncio.Event,
    poll_interval: float = 1.0,
    batch_size: int = 50,
    clock: Clock = utc_now,
    max_redis_errors: int = 5,
) -> WorkerStats:
    """Deliver due reminders until ``stop_event`` is set; returns what this worker did.

    A delivery gets at most half the lease, so a slow delivery cannot outlive its claim. Redis
    errors are retried with backoff; after ``max_redis_errors`` in a row the worker raises
    ``DependencyUnavailable``.
    """
    stats = WorkerStats()
    timeout_s = scheduler.lease.total_seconds() / 2
    redis_errors = 0
    while not stop_event.is_set():
        try:
            now = clock()
            stats.recovered += await scheduler.recover_expired(now)
            batch = await scheduler.claim_due(now, batch_size)
            await _deliver_batch(scheduler, batch, deliver, clock, stats, timeout_s)
            redis_errors = 0
        except RedisError as exc:
            redis_errors += 1
            if redis_errors >= max_redis_errors:
                raise DependencyUnavailable(
                    f"reminder worker: Redis failed {redis_errors} times in a row: {exc}",
                    message_zh="提醒服务无法连接 Redis",
                ) from exc
            backoff = min(poll_interval * 2**redis_errors, 30.0)
            logger.warning("reminder worker: Redis error (%s); retrying in %.1fs", exc, backoff)
            await _wait(stop_event, backoff)
            continue
        if not batch:
            await _wait(stop_event, poll_interval)
    return stats
