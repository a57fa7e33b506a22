"""Reminder scheduler on Redis sorted sets.

The Redis client and the key prefix are passed in (no global client). Claims run in a Lua
script, so each due reminder goes to exactly one worker however many are claiming. A claimed
reminder holds a lease; if its worker dies before settling it, ``recover_expired`` puts it back
(at-least-once across crashes, exactly-once between live workers).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from api.reminders import scripts
from api.reminders.models import DeadReminder, Reminder, RetryPolicy, WorkerStats
from api.reminders.worker import Clock, Deliver, run_worker, utc_now
from core.errors import ValidationFailed
from tools.tasks.schedule import next_occurrences

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)

DEAD_LETTERS_KEPT = 1000


def _score(moment: datetime) -> float:
    return moment.timestamp()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class ReminderScheduler:
    def __init__(
        self,
        client: Redis,
        prefix: str,
        retry: RetryPolicy | None = None,
        lease: timedelta = timedelta(minutes=5),
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.retry = retry or RetryPolicy()
        self.lease = lease
        self.due_key = f"{prefix}:due"
        self.data_key = f"{prefix}:data"
        self.processing_key = f"{prefix}:processing"
        self.dead_key = f"{prefix}:dead"
        self._claim = client.register_script(scripts.CLAIM)
        self._settle = client.register_script(scripts.SETTLE)
        self._recover = client.register_script(scripts.RECOVER)
        self._cancel = client.register_script(scripts.CANCEL)

    async def schedule(self, reminder: Reminder) -> None:
        """Add or replace ``reminder`` (same id replaces)."""
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(self.data_key, reminder.id, reminder.model_dump_json())
            pipe.zadd(self.due_key, {reminder.id: _score(reminder.due_at)})
            await pipe.execute()

    async def cancel(self, reminder_id: str) -> bool:
        """Remove a reminder; False if it was not scheduled."""
        removed = await self._cancel(keys=[self.due_key, self.data_key], args=[reminder_id])
        return int(removed) > 0

    async def get(self, reminder_id: str) -> Reminder | None:
        raw = await self.client.hget(self.data_key, reminder_id)
        return None if raw is None else Reminder.model_validate_json(_text(raw))

    async def due_at(self, reminder_id: str) -> datetime | None:
        score = await self.client.zscore(self.due_key, reminder_id)
        return None if score is None else datetime.fromtimestamp(float(score), UTC)

    async def claim_due(self, now: datetime, limit: int = 50) -> list[Reminder]:
        """Atomically take up to ``limit`` reminders due at or before ``now``."""
        if now.tzinfo is None:
            raise ValidationFailed("now must be time-zone aware", code="timezone_required")
        raw = await self._claim(
            keys=[self.due_key, self.data_key, self.processing_key],
            args=[_score(now), max(limit, 0), _score(now + self.lease)],
        )
        return [Reminder.model_validate_json(_text(item)) for item in raw]

    async def _settle_claimed(
        self, reminder_id: str, follow_up: Reminder | None, dead: DeadReminder | None
    ) -> int:
        result = await self._settle(
            keys=[self.due_key, self.data_key, self.processing_key, self.dead_key],
            args=[
                reminder_id,
                follow_up.model_dump_json() if follow_up else "",
                _score(follow_up.due_at) if follow_up else 0,
                dead.model_dump_json() if dead else "",
                DEAD_LETTERS_KEPT,
            ],
        )
        if int(result) == -1:
            logger.warning("reminder %s: lease expired before it was settled", reminder_id)
        return int(result)

    def next_occurrence(self, reminder: Reminder, now: datetime) -> Reminder | None:
        """The same reminder at its next occurrence after both its due time and ``now``
        (a worker that was down does not replay missed reminders)."""
        if reminder.recurrence is None:
            return None
        after = max(reminder.due_at, now)
        upcoming = next_occurrences(reminder.recurrence, after, 1)
        if not upcoming:
            return None
        return reminder.model_copy(update={"due_at": upcoming[0], "attempt": 0, "last_error": None})

    async def ack(self, reminder: Reminder, now: datetime) -> int:
        """Mark a claimed reminder delivered; a recurring one moves to its next occurrence."""
        return await self._settle_claimed(reminder.id, self.next_occurrence(reminder, now), None)

    async def fail(self, reminder: Reminder, error: str, now: datetime) -> bool:
        """Record a failed delivery. Re-queues with backoff while attempts remain and returns
        True; otherwise dead-letters this occurrence (a recurring reminder still moves on to its
        next occurrence) and returns False."""
        attempt = reminder.attempt + 1
        if attempt < self.retry.max_attempts:
            retry = reminder.model_copy(
                update={
                    "attempt": attempt,
                    "last_error": error,
                    "due_at": now + self.retry.delay(attempt),
                }
            )
            await self._settle_claimed(reminder.id, retry, None)
            return True
        logger.error("reminder %s dead after %d attempts: %s", reminder.id, attempt, error)
        failed = reminder.model_copy(update={"attempt": attempt, "last_error": error})
        dead = DeadReminder(reminder=failed, failed_at=now, error=error)
        await self._settle_claimed(reminder.id, self.next_occurrence(reminder, now), dead)
        return False

    async def recover_expired(self, now: datetime) -> int:
        """Put reminders whose lease ran out back in the due set; returns how many."""
        moved = await self._recover(
            keys=[self.due_key, self.data_key, self.processing_key], args=[_score(now)]
        )
        return int(moved)

    async def dead_letters(self, limit: int = 100) -> list[DeadReminder]:
        raw = await self.client.lrange(self.dead_key, 0, limit - 1)
        return [DeadReminder.model_validate_json(_text(item)) for item in raw]

    async def pending_count(self) -> int:
        return int(await self.client.zcard(self.due_key))

    async def run_worker(
        self,
        deliver: Deliver,
        stop_event: asyncio.Event,
        poll_interval: float = 1.0,
        batch_size: int = 50,
        clock: Clock = utc_now,
    ) -> WorkerStats:
        """Claim, deliver and settle until ``stop_event`` is set (see ``worker.run_worker``)."""
        return await run_worker(self, deliver, stop_event, poll_interval, batch_size, clock)
