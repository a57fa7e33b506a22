"""Streaks over tz-aware days, health points and streak bonuses from points.yaml."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.errors import ValidationFailed
from tools.tasks import (
    DailySchedule,
    TaskDraft,
    WeeklySchedule,
    award_points,
    compute_streak,
    load_points,
    record_completion,
)
from tools.tasks.models import Bilingual

SH = ZoneInfo("Asia/Shanghai")
TWICE_DAILY = DailySchedule(times=[time(8), time(20)], start=date(2026, 5, 1))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=SH)


def test_streak_needs_every_occurrence_of_a_day_and_today_does_not_break_it() -> None:
    completions = [at(1, 8), at(1, 20), at(2, 8), at(2, 21), at(3, 8), at(4, 8), at(4, 20)]
    status = compute_streak(TWICE_DAILY, completions, now=at(5, 10))
    # 1 done, 2 done, 3 half (missed), 4 done, 5 in progress
    assert (status.current, status.longest) == (1, 2)
    assert (status.completed_periods, status.missed_periods) == (3, 1)


def test_day_boundary_is_local_not_utc() -> None:
    daily = DailySchedule(times=[time(8)], start=date(2026, 5, 1))
    # 15:59 UTC on 1 May is 23:59 in Shanghai (counts for 1 May);
    # 16:30 UTC on 1 May is 00:30 on 2 May.
    late = datetime(2026, 5, 1, 15, 59, tzinfo=UTC)
    after_midnight = datetime(2026, 5, 1, 16, 30, tzinfo=UTC)
    assert compute_streak(daily, [late, after_midnight], now=at(3, 7)).current == 2
    # Both on 2 May local: 1 May is missed.
    both_on_2nd = [after_midnight, after_midnight + timedelta(hours=1)]
    status = compute_streak(daily, both_on_2nd, now=at(3, 7))
    assert (status.current, status.missed_periods) == (1, 1)


def test_weekly_streak_counts_only_scheduled_days() -> None:
    mon_wed = WeeklySchedule(weekdays=[1, 3], times=[time(8)], start=date(2026, 5, 1))
    # Mondays/Wednesdays after Fri 1 May: 4, 6, 11, 13.
    completions = [at(4, 9), at(6, 9), at(11, 9)]
    status = compute_streak(mon_wed, completions, now=at(12, 9))
    assert status.current == 3 and status.missed_periods == 0


def task(kind: str = "bp_measurement") -> TaskDraft:
    return TaskDraft.model_validate(
        {
            "task_type": kind,
            "title": Bilingual(zh="测量血压", en="Measure BP"),
            "schedule": DailySchedule(times=[time(8)], start=date(2026, 5, 1)),
        }
    )


def test_points_table_has_version_and_defaults() -> None:
    table = load_points()
    assert table.version >= 1
    assert table.base_points("bp_measurement") == 5
    assert table.base_points("follow_up_visit") == 20


def test_seventh_day_earns_the_streak_bonus() -> None:
    previous = [at(d, 8, 5) for d in range(1, 7)]
    outcome = record_completion(task(), previous, at(7, 8, 30), now=at(7, 9))
    assert outcome.streak.current == 7
    assert (outcome.points.base, outcome.points.bonus, outcome.points.total) == (5, 20, 25)
    assert outcome.points.milestones == [7]


def test_extra_completion_same_day_gets_no_second_bonus() -> None:
    previous = [at(d, 8, 5) for d in range(1, 8)]
    outcome = record_completion(task(), previous, at(7, 12), now=at(7, 13))
    assert outcome.points.total == 5 and outcome.points.milestones == []


def test_award_points_crossing_two_milestones() -> None:
    award = award_points("exercise", streak_before=6, streak_after=30)
    assert (award.base, award.bonus, award.total) == (10, 120, 130)


def test_future_completion_is_refused() -> None:
    with pytest.raises(ValidationFailed) as info:
        record_completion(task(), [], at(7, 12), now=at(7, 9))
    assert info.value.instance_code == "future_timestamp"
    with pytest.raises(ValidationFailed) as naive:
        record_completion(task(), [], datetime(2026, 5, 7, 8), now=at(7, 9))
    assert naive.value.instance_code == "timezone_required"
