"""Streaks: consecutive scheduled periods completed, with day boundaries in the task's zone.

A period is a local date on which the schedule has at least one occurrence. It is complete when
the completions recorded on that local date are at least as many as its occurrences (a
twice-daily blood-pressure task needs two). Today's period counts once complete, and does not
break the streak while the day is still running.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from tools.tasks.schedule import Schedule, SpecificSchedule, iter_occurrences


class StreakStatus(BaseModel):
    current: int
    longest: int
    completed_periods: int
    missed_periods: int


def _first_instant(schedule: Schedule, tz: ZoneInfo) -> datetime:
    if isinstance(schedule, SpecificSchedule):
        return datetime(1970, 1, 1, tzinfo=UTC)
    assert schedule.start is not None
    return datetime.combine(schedule.start, time(0), tzinfo=tz) - timedelta(microseconds=1)


def scheduled_counts(schedule: Schedule, until_day: date) -> dict[date, int]:
    """Occurrences per local date, from the schedule's start through ``until_day``."""
    tz = ZoneInfo(schedule.timezone)
    counts: Counter[date] = Counter()
    for occurrence in iter_occurrences(schedule, _first_instant(schedule, tz)):
        day = occurrence.astimezone(tz).date()
        if day > until_day:
            break
        counts[day] += 1
    return dict(sorted(counts.items()))


def compute_streak(
    schedule: Schedule, completions: Sequence[datetime], now: datetime
) -> StreakStatus:
    tz = ZoneInfo(schedule.timezone)
    today = now.astimezone(tz).date()
    done = Counter(c.astimezone(tz).date() for c in completions)
    if not isinstance(schedule, SpecificSchedule) and schedule.start is None:
        # Without a start date, periods begin at the first completion (or today).
        schedule = schedule.model_copy(update={"start": min([*done, today])})
    current = longest = completed = missed = 0
    for day, required in scheduled_counts(schedule, today).items():
        if done[day] >= required:
            current += 1
            completed += 1
            longest = max(longest, current)
        elif day < today:
            current = 0
            missed += 1
    return StreakStatus(
        current=current, longest=longest, completed_periods=completed, missed_periods=missed
    )
