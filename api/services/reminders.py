"""Reminders for stored tasks, on the Redis scheduler (``tools.reminders``).

There is deliberately no in-memory scheduler: without Redis a reminder could be lost on restart
or sent twice by two workers, so tasks are stored with ``reminders_scheduled = False``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from api.container import Container
from core.coordination import RedisCoordinator
from core.db.care_models import TaskRecord
from core.errors import DependencyUnavailable
from tools.reminders import Reminder, ReminderScheduler
from tools.tasks import TaskDraft, next_occurrences

log = logging.getLogger(__name__)
REMINDER_KEYSPACE = "reminders"


def reminder_scheduler(c: Container) -> ReminderScheduler | None:
    """The shared scheduler when Redis is configured, else None."""
    if not c.settings.redis_url or not isinstance(c.coordinator, RedisCoordinator):
        return None
    return ReminderScheduler(c.coordinator.client, f"{c.settings.redis_prefix}{REMINDER_KEYSPACE}")


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
