"""Reminder and retry-policy models."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from tools.tasks.schedule import Schedule


class Reminder(BaseModel):
    """One pending reminder. ``id`` is unique per scheduler prefix; scheduling an existing id
    replaces it (so one reminder per task id is natural)."""

    id: str = Field(min_length=1, max_length=200)
    due_at: AwareDatetime
    tenant_id: str = "default"
    patient_id: str | None = None
    task_id: str | None = None
    payload: dict[str, Any] = Field(
        default_factory=dict, description="What to deliver (title, text, card, channel...)."
    )
    recurrence: Schedule | None = Field(
        default=None, description="When set, the next occurrence is scheduled after delivery."
    )
    attempt: int = Field(default=0, ge=0, description="Failed delivery attempts so far.")
    last_error: str | None = None


class RetryPolicy(BaseModel):
    """Bounded retries with exponential backoff for failed deliveries."""

    max_attempts: int = Field(default=5, ge=1)
    base_delay_s: float = Field(default=30.0, gt=0)
    max_delay_s: float = Field(default=1800.0, gt=0)

    def delay(self, attempt: int) -> timedelta:
        """Delay before retry number ``attempt`` (1-based): base, 2*base, 4*base ... capped."""
        return timedelta(seconds=min(self.base_delay_s * 2 ** (attempt - 1), self.max_delay_s))


class WorkerStats(BaseModel):
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    recovered: int = 0


class DeadReminder(BaseModel):
    reminder: Reminder
    failed_at: datetime
    error: str
