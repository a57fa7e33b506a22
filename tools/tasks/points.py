"""Health points (``data/points.yaml``) and recording a completion."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from core.errors import ConfigurationError, ValidationFailed
from tools.tasks.models import TaskDraft, TaskType
from tools.tasks.streaks import StreakStatus, compute_streak

POINTS_PATH = Path(__file__).with_name("data") / "points.yaml"
MAX_FUTURE = timedelta(minutes=10)


class StreakBonus(BaseModel):
    streak: int = Field(ge=1)
    points: int = Field(ge=0)


class PointsTable(BaseModel):
    version: int
    per_completion: dict[str, int]
    streak_bonuses: list[StreakBonus]

    def base_points(self, task_type: TaskType) -> int:
        return self.per_completion.get(task_type, self.per_completion.get("default", 0))


@lru_cache(maxsize=4)
def load_points(path: Path = POINTS_PATH) -> PointsTable:
    try:
        return PointsTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read points table {path}: {exc}") from exc


class PointsAward(BaseModel):
    base: int
    bonus: int
    total: int
    milestones: list[int] = Field(description="Streak lengths reached by this completion.")


class CompletionOutcome(BaseModel):
    points: PointsAward
    streak: StreakStatus


def award_points(task_type: TaskType, streak_before: int, streak_after: int) -> PointsAward:
    table = load_points()
    reached = [b for b in table.streak_bonuses if streak_before < b.streak <= streak_after]
    base = table.base_points(task_type)
    bonus = sum(b.points for b in reached)
    return PointsAward(
        base=base, bonus=bonus, total=base + bonus, milestones=[b.streak for b in reached]
    )


def record_completion(
    task: TaskDraft,
    previous: Sequence[datetime],
    completed_at: datetime,
    now: datetime,
) -> CompletionOutcome:
    """Points and streak after completing ``task`` at ``completed_at``.

    ``previous`` are the task's earlier completion times. Refuses a naive or future time.
    """
    if completed_at.tzinfo is None:
        raise ValidationFailed(
            "completed_at must include a time zone",
            message_zh="完成时间必须带时区",
            field="completed_at",
            code="timezone_required",
        )
    if completed_at - now > MAX_FUTURE:
        raise ValidationFailed(
            "a task cannot be completed in the future",
            message_zh="完成时间不能晚于当前时间",
            field="completed_at",
            code="future_timestamp",
        )
    before = compute_streak(task.schedule, previous, now)
    after = compute_streak(task.schedule, [*previous, completed_at], now)
    return CompletionOutcome(
        points=award_points(task.task_type, before.current, after.current), streak=after
    )
