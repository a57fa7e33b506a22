"""Reminder delivery: a Redis sorted-set scheduler with exactly-once claims and a worker loop."""

from tools.reminders.models import DeadReminder, Reminder, RetryPolicy, WorkerStats
from tools.reminders.scheduler import ReminderScheduler
from tools.reminders.worker import Deliver, run_worker

__all__ = [
    "DeadReminder",
    "Deliver",
    "Reminder",
    "ReminderScheduler",
    "RetryPolicy",
    "WorkerStats",
    "run_worker",
]
