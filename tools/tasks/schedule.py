"""Task schedules and their occurrences, in the patient's IANA time zone.

Times of day are wall-clock times in ``timezone``. Each occurrence is built on the local date,
then converted through UTC, so a time that does not exist on a spring-forward day (02:30 in
New York) lands an hour later (03:30 EDT), and an ambiguous fall-back time occurs once, at its
first instance. All comparisons are made in UTC: Python compares two datetimes that share a
tzinfo object by wall time, which is wrong across a DST change.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema

from core.bounds import BoundedDate, BoundedDatetime
from core.errors import ValidationFailed


def _known_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone {value!r}") from exc
    return value


TimeZoneName = Annotated[
    str,
    AfterValidator(_known_timezone),
    WithJsonSchema({"type": "string", "enum": sorted(available_timezones())}),
]
Weekday = Annotated[int, Field(ge=1, le=7, description="ISO weekday: 1 = Monday ... 7 = Sunday")]


class _RecurringBase(BaseModel):
    timezone: TimeZoneName = "Asia/Shanghai"
    times: list[time] = Field(
        max_length=48, description="Local wall-clock times, e.g. ['07:00', '19:00']."
    )
    start: BoundedDate | None = Field(
        default=None, description="First local date (years 2000-2100); default today."
    )
    end: BoundedDate | None = Field(default=None, description="Last local date (inclusive).")


class DailySchedule(_RecurringBase):
    kind: Literal["daily"] = "daily"


class WeeklySchedule(_RecurringBase):
    kind: Literal["weekly"] = "weekly"
    weekdays: list[Weekday] = Field(max_length=7)


class EveryNDaysSchedule(_RecurringBase):
    kind: Literal["every_n_days"] = "every_n_days"
    interval_days: int = Field(ge=1, le=366)


class SpecificSchedule(BaseModel):
    kind: Literal["specific"] = "specific"
    timezone: TimeZoneName = "Asia/Shanghai"
    datetimes: list[BoundedDatetime] = Field(
        max_length=366, description="Naive values are read in `timezone` (years 2000-2100)."
    )


Schedule = Annotated[
    DailySchedule | WeeklySchedule | EveryNDaysSchedule | SpecificSchedule,
    Field(discriminator="kind"),
]


def _runs_on(schedule: _RecurringBase, day: date, anchor: date) -> bool:
    if isinstance(schedule, WeeklySchedule):
        return day.isoweekday() in schedule.weekdays
    if isinstance(schedule, EveryNDaysSchedule):
        return (day - anchor).days % schedule.interval_days == 0
    return True


def _period_days(schedule: _RecurringBase) -> int:
    if isinstance(schedule, EveryNDaysSchedule):
        return schedule.interval_days
    return 7 if isinstance(schedule, WeeklySchedule) else 1


def _iter_recurring(schedule: _RecurringBase, after: datetime) -> Iterator[datetime]:
    tz = ZoneInfo(schedule.timezone)
    after_utc = after.astimezone(UTC)
    anchor = schedule.start or after.astimezone(tz).date()
    times = sorted({t.replace(tzinfo=None) for t in schedule.times})
    if not times or (isinstance(schedule, WeeklySchedule) and not schedule.weekdays):
        return
    day = max(anchor, after.astimezone(tz).date() - timedelta(days=1))
    idle_days = 0
    while schedule.end is None or day <= schedule.end:
        emitted: set[datetime] = set()
        if _runs_on(schedule, day, anchor):
            for t in times:
                instant = datetime.combine(day, t, tzinfo=tz).astimezone(UTC)
                if instant > after_utc and instant not in emitted:
                    emitted.add(instant)
                    yield instant.astimezone(tz)
        idle_days = 0 if emitted else idle_days + 1
        if idle_days > 2 * _period_days(schedule) + 2:
            return  # cannot happen for a valid schedule; a guard against endless loops
        day += timedelta(days=1)


def iter_occurrences(schedule: Schedule, after: datetime) -> Iterator[datetime]:
    """Occurrences strictly after ``after`` (tz-aware), in order, as datetimes in the schedule's
    zone. Unbounded for an open-ended recurring schedule: slice it."""
    if after.tzinfo is None:
        raise ValidationFailed(
            "`after` must be time-zone aware",
            message_zh="时间必须带时区",
            field="after",
            code="timezone_required",
        )
    if isinstance(schedule, SpecificSchedule):
        tz = ZoneInfo(schedule.timezone)
        after_utc = after.astimezone(UTC)
        instants = {
            (d if d.tzinfo else d.replace(tzinfo=tz)).astimezone(UTC) for d in schedule.datetimes
        }
        for instant in sorted(i for i in instants if i > after_utc):
            yield instant.astimezone(tz)
        return
    yield from _iter_recurring(schedule, after)


def next_occurrences(schedule: Schedule, after: datetime, n: int) -> list[datetime]:
    return list(islice(iter_occurrences(schedule, after), max(n, 0)))


def _why_empty(schedule: Schedule) -> tuple[str, str]:
    if isinstance(schedule, SpecificSchedule):
        if not schedule.datetimes:
            return "no dates were given", "没有填写任何日期"
        return "all the given dates are in the past", "所有日期都已过去"
    if not schedule.times:
        return "no times of day were given", "没有填写每天的时间"
    if isinstance(schedule, WeeklySchedule) and not schedule.weekdays:
        return "a weekly schedule needs at least one weekday", "每周计划至少需要选择一天"
    if schedule.start and schedule.end and schedule.end < schedule.start:
        return "the end date is before the start date", "结束日期早于开始日期"
    return "the schedule ends before now", "计划的结束日期已过"


MAX_BACKDATE_DAYS = 366
"""How far back a recurring schedule may start: streaks walk every day since the start."""


def validate_schedule(schedule: Schedule, now: datetime) -> datetime:
    """The first occurrence after ``now``; ``ValidationFailed(code="empty_schedule")`` if none,
    ``start_too_early`` when a recurring schedule starts more than a year before today."""
    if not isinstance(schedule, SpecificSchedule) and schedule.start is not None:
        today = now.astimezone(ZoneInfo(schedule.timezone)).date()
        if schedule.start < today - timedelta(days=MAX_BACKDATE_DAYS):
            raise ValidationFailed(
                f"a schedule may start at most {MAX_BACKDATE_DAYS} days before today",
                message_zh=f"计划的开始日期最多只能早于今天{MAX_BACKDATE_DAYS}天",
                field="schedule.start",
                code="start_too_early",
            )
    first = next_occurrences(schedule, now, 1)
    if first:
        return first[0]
    why_en, why_zh = _why_empty(schedule)
    raise ValidationFailed(
        f"this schedule never occurs: {why_en}",
        message_zh=f"该计划没有任何提醒时间：{why_zh}",
        field="schedule",
        code="empty_schedule",
    )
