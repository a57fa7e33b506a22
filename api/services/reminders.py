"""Reminders for stored tasks, on the Redis scheduler (``api.reminders``).

There is deliberately no in-memory scheduler: without Redis a reminder could be lost on restart
or sent twice by two workers, so tasks are stored with ``reminders_scheduled = False``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from api.container import Container
from api.reminders import Reminder, ReminderScheduler
from core.db.care_models import TaskRecord
from core.errors import DependencyUnavailable
from tools.tasks import TaskDraft, next_occurrences

log = logging.getLogger(__name__)


def reminder_for(task: TaskRecord, draft: TaskDraft, now: datetime) -> Reminder | None:
    """The task's next reminder (id = task id; recurring schedules reschedule themselves)."""
    upcoming = next_occurrences(draft.schedule, now, 1)
    if not upcoming:
        return None
    return Reminder(
        id=task.id,
        due_at=upcoming[0],
        tenant_id=task.tenant_id,
        patient_id=task.patient_id,
        task_id=task.id,
        payload={
            "task_type": draft.task_type,
            "title_zh": draft.title.zh,
            "title_en": draft.title.en,
        },
        recurrence=draft.schedule,
    )


async def schedule_reminders(
    scheduler: ReminderScheduler, reminders: Sequence[Reminder]
) -> list[str]:
    """Schedule all or none: on a failure the ones already scheduled are cancelled."""
    done: list[str] = []
    try:
        for reminder in reminders:
            await scheduler.schedule(reminder)
            done.append(reminder.id)
    except Exception as exc:  # Redis down or refusing: nothing of this request may stay
        await cancel_reminders(scheduler, done)
        raise DependencyUnavailable(
            f"reminders could not be scheduled: {exc}",
            message_zh="提醒服务暂时不可用，请稍后再试",
            code="reminders_unavailable",
        ) from exc
    return done


async def cancel_reminders(scheduler: ReminderScheduler, reminder_ids: Sequence[str]) -> None:
    for reminder_id in reminder_ids:
        try:
            await scheduler.cancel(reminder_id)
        except Exception:  # best effort while another error is already on its way up
            log.warning("could not cancel reminder %s", reminder_id)


def reminder_delivery(c: Container) -> Callable[[Reminder], Awaitable[None]]:
    """Delivery of a due reminder: an event on the tenant's live channel (the mini-app's push
    gateway and the managers' console subscribe to it)."""

    async def deliver(reminder: Reminder) -> None:
        delivered = await c.coordinator.publish(
            f"tenant:{reminder.tenant_id}",
            {
                "kind": "reminder",
                "reminder_id": reminder.id,
                "task_id": reminder.task_id,
                "patient_id": reminder.patient_id,
                "due_at": reminder.due_at.isoformat(),
                "payload": reminder.payload,
            },
        )
        if not delivered:  # a failed delivery is retried by the worker, never counted as sent
            raise DependencyUnavailable("reminder not delivered: live channel unreachable")

    return deliver


@asynccontextmanager
async def reminder_worker(c: Container, poll_interval: float = 1.0) -> AsyncIterator[None]:
    """Run the delivery worker for the app's lifetime when Redis is configured (several API
    workers may run it at once: each due reminder is claimed by exactly one)."""
    scheduler = c.reminders
    if scheduler is None:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(
        scheduler.run_worker(reminder_delivery(c), stop, poll_interval=poll_interval)
    )
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=10)
        except Exception:  # the worker's own failure must not block shutdown
            log.exception("reminder worker stopped with an error")
