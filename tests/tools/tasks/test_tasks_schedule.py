"""Schedules: hand-computed occurrences, DST in America/New_York, empty schedules refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from core.errors import ValidationFailed
from tools.tasks import (
    DailySchedule,
    EveryNDaysSchedule,
    SpecificSchedule,
    WeeklySchedule,
    next_occurrences,
    validate_schedule,
)

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_daily_twice_a_day() -> None:
    s = DailySchedule(times=[time(19), time(7)], start=date(2026, 5, 1))
    got = next_occurrences(s, datetime(2026, 5, 1, 12, tzinfo=SH), 3)
    assert got == [
        datetime(2026, 5, 1, 19, tzinfo=SH),
        datetime(2026, 5, 2, 7, tzinfo=SH),
        datetime(2026, 5, 2, 19, tzinfo=SH),
    ]
    assert all(o.tzinfo == SH for o in got)


def test_after_is_compared_as_an_instant() -> None:
    s = DailySchedule(times=[time(9)], start=date(2026, 5, 1))
    # 01:00 UTC == 09:00 Shanghai: strictly after, so the first is the next day.
    assert next_occurrences(s, utc(2026, 5, 1, 1), 1) == [datetime(2026, 5, 2, 9, tzinfo=SH)]


def test_weekly_monday_and_wednesday() -> None:
    # 2026-05-01 is a Friday.
    s = WeeklySchedule(weekdays=[3, 1], times=[time(8)], start=date(2026, 5, 1))
    got = next_occurrences(s, datetime(2026, 5, 1, tzinfo=SH), 3)
    assert [o.date() for o in got] == [date(2026, 5, 4), date(2026, 5, 6), date(2026, 5, 11)]


def test_every_three_days_anchored_on_start() -> None:
    s = EveryNDaysSchedule(interval_days=3, times=[time(9)], start=date(2026, 5, 1))
    got = next_occurrences(s, datetime(2026, 5, 2, tzinfo=SH), 3)
    assert [o.day for o in got] == [4, 7, 10]


def test_end_date_is_inclusive_and_bounds_the_list() -> None:
    s = DailySchedule(times=[time(8)], start=date(2026, 5, 1), end=date(2026, 5, 2))
    got = next_occurrences(s, datetime(2026, 4, 30, tzinfo=SH), 5)
    assert [o.day for o in got] == [1, 2]


def test_specific_naive_and_aware_datetimes_sorted_and_deduplicated() -> None:
    s = SpecificSchedule(
        datetimes=[
            datetime(2026, 6, 1, 9),  # naive: read in Asia/Shanghai = 01:00 UTC
            utc(2026, 6, 1, 1),  # the same instant
            utc(2026, 5, 20, 2),
            utc(2026, 4, 1),  # past
        ]
    )
    got = next_occurrences(s, utc(2026, 5, 1), 10)
    assert got == [datetime(2026, 5, 20, 10, tzinfo=SH), datetime(2026, 6, 1, 9, tzinfo=SH)]


def test_spring_forward_new_york() -> None:
    # DST starts Sunday 2026-03-08 at 02:00 local in New York.
    s = DailySchedule(timezone="America/New_York", times=[time(8)], start=date(2026, 3, 7))
    first, second = next_occurrences(s, datetime(2026, 3, 7, tzinfo=NY), 2)
    assert first.astimezone(UTC) == utc(2026, 3, 7, 13)  # 08:00 EST
    assert second.astimezone(UTC) == utc(2026, 3, 8, 12)  # 08:00 EDT
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=23)


def test_nonexistent_time_moves_forward_an_hour() -> None:
    s = DailySchedule(timezone="America/New_York", times=[time(2, 30)], start=date(2026, 3, 7))
    got = next_occurrences(s, datetime(2026, 3, 7, tzinfo=NY), 3)
    assert [o.astimezone(UTC) for o in got] == [
        utc(2026, 3, 7, 7, 30),  # 02:30 EST
        utc(2026, 3, 8, 7, 30),  # 02:30 does not exist: 03:30 EDT
        utc(2026, 3, 9, 6, 30),  # 02:30 EDT
    ]
    assert got[1].hour == 3 and got[1].minute == 30


def test_fall_back_ambiguous_time_occurs_once() -> None:
    # DST ends Sunday 2026-11-01; 01:30 happens twice that night, the reminder once.
    s = DailySchedule(timezone="America/New_York", times=[time(1, 30)], start=date(2026, 10, 31))
    got = next_occurrences(s, datetime(2026, 10, 31, tzinfo=NY), 3)
    assert [o.astimezone(UTC) for o in got] == [
        utc(2026, 10, 31, 5, 30),
        utc(2026, 11, 1, 5, 30),  # first 01:30 (EDT)
        utc(2026, 11, 2, 6, 30),  # 01:30 EST
    ]


def test_fall_back_day_is_25_hours() -> None:
    s = DailySchedule(timezone="America/New_York", times=[time(8)], start=date(2026, 10, 31))
    first, second = next_occurrences(s, datetime(2026, 10, 30, tzinfo=NY), 2)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=25)


def test_shanghai_has_no_dst() -> None:
    s = DailySchedule(times=[time(8)], start=date(2026, 3, 7))
    a, b = next_occurrences(s, datetime(2026, 3, 7, tzinfo=SH), 2)
    assert b - a == timedelta(hours=24)


@pytest.mark.parametrize(
    ("schedule", "why"),
    [
        (WeeklySchedule(weekdays=[], times=[time(8)], start=date(2026, 5, 1)), "weekday"),
        (DailySchedule(times=[], start=date(2026, 5, 1)), "times of day"),
        (
            DailySchedule(times=[time(8)], start=date(2026, 5, 10), end=date(2026, 5, 1)),
            "end date is before the start",
        ),
        (SpecificSchedule(datetimes=[utc(2026, 1, 1), utc(2026, 4, 30)]), "in the past"),
        (SpecificSchedule(datetimes=[]), "no dates"),
        (DailySchedule(times=[time(8)], start=date(2026, 1, 1), end=date(2026, 4, 1)), "ends"),
    ],
)
def test_empty_schedules_are_refused(schedule: DailySchedule, why: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_schedule(schedule, datetime(2026, 5, 1, 12, tzinfo=SH))
    assert info.value.instance_code == "empty_schedule"
    assert why in info.value.message
    assert info.value.message_zh and "没有任何提醒时间" in info.value.message_zh


def test_validate_returns_first_occurrence() -> None:
    s = DailySchedule(times=[time(8)], start=date(2026, 5, 1))
    now = datetime(2026, 5, 1, 12, tzinfo=SH)
    assert validate_schedule(s, now) == datetime(2026, 5, 2, 8, tzinfo=SH)


def test_naive_after_is_refused() -> None:
    s = DailySchedule(times=[time(8)], start=date(2026, 5, 1))
    with pytest.raises(ValidationFailed) as info:
        next_occurrences(s, datetime(2026, 5, 1), 1)
    assert info.value.instance_code == "timezone_required"


def test_unknown_timezone_and_bad_weekday_are_schema_errors() -> None:
    with pytest.raises(ValidationError, match="unknown IANA time zone"):
        DailySchedule(timezone="Asia/Beijing", times=[time(8)])
    with pytest.raises(ValidationError):
        WeeklySchedule(weekdays=[8], times=[time(8)])
