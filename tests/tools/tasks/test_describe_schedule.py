"""Schedules in words for replies."""

from __future__ import annotations

from datetime import datetime, time

from tools.tasks.describe import describe_schedule
from tools.tasks.schedule import (
    DailySchedule,
    EveryNDaysSchedule,
    SpecificSchedule,
    WeeklySchedule,
)


def test_each_kind_in_both_languages() -> None:
    daily = describe_schedule(DailySchedule(times=[time(7, 30), time(21, 0)]))
    assert (daily.zh, daily.en) == ("每天 07:30、21:00", "every day at 07:30 and 21:00")
    weekly = describe_schedule(WeeklySchedule(times=[time(7)], weekdays=[4, 1]))
    assert (weekly.zh, weekly.en) == ("每周一、周四 07:00", "every Monday and Thursday at 07:00")
    every = describe_schedule(EveryNDaysSchedule(times=[time(9)], interval_days=3))
    assert every.en == "every 3 days at 09:00" and every.zh == "每3天 09:00"
    once = describe_schedule(SpecificSchedule(datetimes=[datetime(2027, 3, 7, 9, 0)]))
    assert (once.zh, once.en) == ("在 2027-03-07 09:00", "on 2027-03-07 09:00")
