"""Reminder delivery: a Redis sorted-set scheduler with exactly-once claims and a worker loop."""

from api.reminders.models import DeadReminder, Reminder, RetryPolicy, WorkerStats
from api.reminders.scheduler import ReminderScheduler
from api.reminders.worker import Deliver, run_worker

__all__ = [
    "DeadReminder",
    "Deliver",
    "Reminder",
    "ReminderScheduler",
    "RetryPolicy",
    "WorkerStats",
    "run_worker",
]
