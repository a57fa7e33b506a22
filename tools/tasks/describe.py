"""A schedule in words, zh and en ("每周一 07:00" / "every Monday at 07:00"), for replies."""

from __future__ import annotations

from tools.tasks.models import Bilingual
from tools.tasks.schedule import (
    DailySchedule,
    EveryNDaysSchedule,
    Schedule,
    SpecificSchedule,
    WeeklySchedule,
)

_ZH_DAYS = "一二三四五六日"
_EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _en_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def describe_schedule(schedule: Schedule) -> Bilingual:
    if isinstance(schedule, SpecificSchedule):
        when = [d.strftime("%Y-%m-%d %H:%M") for d in schedule.datetimes]
        return Bilingual(zh=f"在 {'、'.join(when)}", en=f"on {_en_list(when)}")
    times = [t.strftime("%H:%M") for t in schedule.times]
    zh_times, en_times = "、".join(times), _en_list(times)
    if isinstance(schedule, WeeklySchedule):
        zh_days = "、".join(f"周{_ZH_DAYS[d - 1]}" for d in sorted(schedule.weekdays))
        en_days = _en_list([_EN_DAYS[d - 1] for d in sorted(schedule.weekdays)])
        return Bilingual(zh=f"每{zh_days} {zh_times}", en=f"every {en_days} at {en_times}")
    if isinstance(schedule, EveryNDaysSchedule):
        n = schedule.interval_days
        return Bilingual(zh=f"每{n}天 {zh_times}", en=f"every {n} days at {en_times}")
    assert isinstance(schedule, DailySchedule)
    return Bilingual(zh=f"每天 {zh_times}", en=f"every day at {en_times}")
