"""Slots for the care tools: readings (BP, glucose, SpO2, ...) and task schedules."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from agent.llm.offline.numbers import CN_NUMBER, to_number

_GLUCOSE = re.compile(r"(?:血糖|glucose|sugar)\D{0,8}?(\d+(?:\.\d+)?)\s*(mg/dl|mmol/l|mmol)?")
# Someone who says they have diabetes (or takes its medicines) — not "is this diabetes?".
_HAS_DIABETES = re.compile(
    r"(?:是|有|得了|确诊(?:了|为)?|患(?:有|了)?)(?:[12一二]型)?糖尿病(?![^,，。]{0,6}[吗吧?？])"
    r"|糖尿病(?:患者|病人|[0-9一二三四五六七八九十几多]+年)|^\s*糖尿病[,，:：]|我(?:妈|爸)?糖尿病"
    r"|糖友|二甲双胍|胰岛素|降糖药|格列"
    r"|\bi(?:'m| am) (?:a )?diabetic|\bi have (?:type [12] )?diabetes|\bt[12]dm\b|\btype [12]\b"
    r"|metformin|insulin"
)
_HR = re.compile(r"(?:心率|脉搏|heart rate|pulse)\D{0,6}?(\d{2,3})")
_SPO2 = re.compile(r"(?:血氧(?:饱和度)?|spo2|oxygen)\D{0,6}?(\d{2,3})\s*%?")
_WEIGHT = re.compile(r"(?:体重|weight|weigh)\D{0,6}?(\d+(?:\.\d+)?)\s*(kg|公斤|斤|千克)?")
# Blood pressure as patients write it: "150/95", "160 over 100", "高压142低压88". In a long
# message the last reading is the one being reported (earlier ones are history).
_BP_PAIR = re.compile(r"(?<![\d.])(\d{2,3})\s*(?:/|over|除以)\s*(\d{2,3})(?![\d.])")
# "148-90" and "148比90" are blood pressure only when the message says it is about one.
_BP_DASH = re.compile(r"(?<![\d.\-])(\d{2,3})\s*(?:-|—|–|~|比)\s*(\d{2,3})(?![\d.])")
_BP_WORDS = re.compile(
    r"(?:高压|收缩压|上压)\s*(?:是|为)?\s*(\d{2,3})\D{0,6}?(?:低压|舒张压|下压)\s*(?:是|为)?\s*(\d{2,3})"
)
_BP_CONTEXT = re.compile(r"血压|血呀|\bbp\b|blood pressure|高压|低压|mmhg")
_OTHER_KIND = re.compile(r"血糖|glucose|sugar|血氧|spo2|心率|heart rate|体重|weight")
_MEAL = [
    ("fasting", r"空腹|fasting|早上起床"),
    (
        "after_meal_2h",
        r"餐后|饭后|after (a )?meal|after eating|after (dinner|lunch|breakfast|supper)",
    ),
    ("before_meal", r"餐前|饭前|before (a )?meal"),
    ("bedtime", r"睡前|bedtime"),
    ("night", r"夜里|半夜|凌晨|夜间|overnight|at night"),
]


def last_bp(text: str) -> tuple[int, int] | None:
    """The last plausible blood pressure in the text (upper above lower)."""
    patterns = [_BP_PAIR, _BP_WORDS]
    if _BP_CONTEXT.search(text):
        patterns.append(_BP_DASH)
    found = [
        (m.start(), int(m.group(1)), int(m.group(2)))
        for pattern in patterns
        for m in pattern.finditer(text)
    ]
    plausible = [(pos, sbp, dbp) for pos, sbp, dbp in found if sbp > dbp >= 20]
    if not plausible:
        return None
    _, sbp, dbp = max(plausible)
    return sbp, dbp


def reading_args(text: str) -> dict[str, Any] | None:
    now = datetime.now(UTC).isoformat()
    bp = last_bp(text)
    if bp and (_BP_CONTEXT.search(text) or not _OTHER_KIND.search(text)):
        return {
            "reading": {
                "kind": "blood_pressure",
                "sbp": bp[0],
                "dbp": bp[1],
                "measured_at": now,
                "source_device": "chat",
            }
        }
    if match := _GLUCOSE.search(text):
        unit = "mg/dL" if (match.group(2) or "").startswith("mg") else "mmol/L"
        meal = next((name for name, pattern in _MEAL if re.search(pattern, text)), "random")
        args: dict[str, Any] = {
            "reading": {
                "kind": "glucose",
                "value": float(match.group(1)),
                "unit": unit,
                "meal_context": meal,
                "measured_at": now,
                "source_device": "chat",
            }
        }
        if _HAS_DIABETES.search(text):  # read against the control targets, not diagnosis
            args["conditions"] = ["diabetes"]
        return args
    if match := _SPO2.search(text):
        return {
            "reading": {
                "kind": "spo2",
                "value": float(match.group(1)),
                "measured_at": now,
                "source_device": "chat",
            }
        }
    if match := _HR.search(text):
        return {
            "reading": {
                "kind": "heart_rate",
                "value": float(match.group(1)),
                "measured_at": now,
                "source_device": "chat",
            }
        }
    if match := _WEIGHT.search(text):
        unit = "jin" if match.group(2) == "斤" else "kg"
        return {
            "reading": {
                "kind": "weight",
                "value": float(match.group(1)),
                "unit": unit,
                "measured_at": now,
                "source_device": "chat",
            }
        }
    return None


_TASK_TYPES = [
    (
        "medication_reminder",
        r"吃药|服药|用药|食药|(提醒我?|记得)(吃|服|食)|(吃|服用?)[^,，。]{2,8}?的?提醒"
        r"|medication|medicine|pills?|take my",
    ),
    ("bp_measurement", r"血压|blood pressure|\bbp\b"),
    ("glucose_measurement", r"血糖|glucose|sugar"),
    ("steps", r"走路|步数|散步|steps|walk"),
    ("exercise", r"运动|锻炼|exercise|workout"),
    ("weight", r"体重|称重|weigh"),
    ("diet_log", r"饮食|记录.{0,2}吃|diet|meals?"),
    ("follow_up_visit", r"复诊|随访|复查|抽血|验血|回去查|follow.?up|recheck|blood test|re-?test"),
    ("check_up", r"体检|check.?up"),
    ("vaccination", r"疫苗|打针|vaccin"),
]
_TIME_ZH = re.compile(
    rf"(早上|上午|中午|下午|晚上|傍晚|睡前)?\s*({CN_NUMBER}|\d{{1,2}})\s*(?:点|:|：)\s*(半|\d{{2}})?"
)
_TIME_EN = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b")
_AT_EN = re.compile(r"\bat (\d{1,2})(?::(\d{2}))?(?!\s*(?:am|pm|\d))\b")
_EVENING_EN = re.compile(r"evening|night|tonight|bedtime|afternoon")
# A part of the day with no clock time: the reminder goes at a usual hour, shown in the task
# card so the patient can change it.
_PART_DEFAULTS = [
    (r"早上|早晨|清晨|上午|每早|\bmorning", "08:00"),
    (r"中午|午饭|\bnoon|lunch", "12:00"),
    (r"下午|\bafternoon", "15:00"),
    (r"晚上|傍晚|晚饭|\bevening|\bdinner", "20:00"),
    (r"睡前|\bbedtime", "21:30"),
]
_WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
_MED_NAME = re.compile(
    r"(?:吃|服|用)([\u4e00-\u9fff]{2,8}?)的?(?:的时候|提醒|$|,|，|。)|take (?:my )?([a-z]+)"
)
_GENERIC_MEDICINE = {"药", "medicine", "pills", "pill", "meds", "medication", "tablets"}


# "take my blood pressure", "量血压", "度血压" (Cantonese): measuring, not a medicine.
_MEASURING = [
    (
        "bp_measurement",
        r"(?:take|check|measure|do|record) (?:my |his |her )?(?:blood pressure|bp)\b|[量测度]血压",
    ),
    (
        "glucose_measurement",
        r"(?:take|check|measure|test|do) (?:my |his |her )?(?:blood )?(?:sugar|glucose)"
        r"|[测验度]血糖",
    ),
]
_WEEKDAYS_EN = {
    "monday": 1,
    "tuesday": 2,
    "wednesday": 3,
    "thursday": 4,
    "friday": 5,
    "saturday": 6,
    "sunday": 7,
}
_WEEKLY_ZH = re.compile(
    r"(?:每周|每个?星期|每个?礼拜|逢(?:星期|礼拜|周))"
    r"((?:[一二三四五六日天]|[和、,，及跟]|(?:周|星期|礼拜)(?=[一二三四五六日天]))+)"
)
_WEEKLY_EN = re.compile(
    r"\bevery ((?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?(?:,? (?:and )?)?)+)"
)
_LATER = re.compile(
    rf"({CN_NUMBER}|\d{{1,2}})\s*(?:个)?(月|周|星期|礼拜|天)(?:以?后|之后)"
    r"|\bin (\d{1,2}|a|one|two|three|six) (months?|weeks?|days?)\b"
    r"|\b(\d{1,2}|one|two|three|six) (months?|weeks?|days?) (?:from now|later)\b"
)
_EN_COUNT = {"a": 1, "one": 1, "two": 2, "three": 3, "six": 6}
_MEDICINE_WORDS = re.compile(
    r"吃药|服药|食药|用药|\b(?:medicine|meds|pills?|tablets?|medication)\b"
)


def task_type_of(text: str) -> str | None:
    for name, pattern in _MEASURING:
        if re.search(pattern, text):
            return name
    return next((name for name, pattern in _TASK_TYPES if re.search(pattern, text)), None)


def _weekdays(text: str) -> list[int]:
    zh = _WEEKLY_ZH.search(text)
    if zh:
        return sorted({_WEEKDAYS[c] for c in zh.group(1) if c in _WEEKDAYS})
    en = _WEEKLY_EN.search(text)
    if en:
        return sorted({n for word, n in _WEEKDAYS_EN.items() if word in en.group(1)})
    return []


def _days_later(text: str) -> int | None:
    """ "三个月后", "in 3 months": a one-off reminder that many days from today."""
    match = _LATER.search(text)
    if not match:
        return None
    groups = match.groups()
    raw, unit = next((g, u) for g, u in zip(groups[::2], groups[1::2], strict=True) if g)
    count = _EN_COUNT.get(raw) or to_number(raw)
    if not count:
        return None
    per = {"月": 30, "周": 7, "星期": 7, "礼拜": 7, "天": 1}
    days = per.get(unit) or {"m": 30, "w": 7}.get(unit[0], 1)
    return int(count * days)


def task_times(text: str) -> list[str]:
    times: list[str] = []
    for part, hour_raw, minute_raw in _TIME_ZH.findall(text):
        hour = to_number(hour_raw)
        if hour is None or hour > 24:
            continue
        hour_int = int(hour) + (12 if part in ("下午", "晚上", "傍晚") and hour < 12 else 0)
        minute = 30 if minute_raw == "半" else int(minute_raw or 0)
        times.append(f"{hour_int % 24:02d}:{minute:02d}")
    for hour_raw, minute_raw, half in _TIME_EN.findall(text):
        hour_int = int(hour_raw) % 12 + (12 if half == "pm" else 0)
        times.append(f"{hour_int:02d}:{int(minute_raw or 0):02d}")
    for hour_raw, minute_raw in _AT_EN.findall(text):
        hour_int = int(hour_raw)
        if hour_int < 12 and _EVENING_EN.search(text):
            hour_int += 12
        if hour_int <= 24:
            times.append(f"{hour_int % 24:02d}:{int(minute_raw or 0):02d}")
    if not times:
        times = [time for pattern, time in _PART_DEFAULTS if re.search(pattern, text)]
    return sorted(set(times))


def task_args(text: str) -> tuple[dict[str, Any], str | None]:
    """(arguments, the first missing slot or None)."""
    task_type = task_type_of(text)
    if task_type is None:
        return {}, "task_type"
    times = task_times(text)
    later = _days_later(text)
    if not times and later is None:
        return {"task_type": task_type}, "task_time"
    weekdays = _weekdays(text)
    schedule: dict[str, Any] = {"kind": "daily", "times": times}
    if later is not None:
        day = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=later)
        at = (times or ["09:00"])[0]
        schedule = {"kind": "specific", "datetimes": [f"{day.isoformat()}T{at}:00"]}
    elif weekdays:
        schedule = {"kind": "weekly", "times": times, "weekdays": weekdays}
    args: dict[str, Any] = {"task_type": task_type, "schedule": schedule}
    if task_type == "medication_reminder":
        match = _MED_NAME.search(text)
        name = (match.group(1) or match.group(2)) if match else None
        if not name and _MEDICINE_WORDS.search(text):
            name = "药"  # "每朝8点要食药": the prescribed medicine, unnamed
        if name in _GENERIC_MEDICINE:
            # "take my pills": remind about the prescribed medicine without naming it.
            name = "your prescribed medicine" if name.isascii() else "医生开的药"
        if not name:
            return args, "medication_name"
        args["medication_name"] = name
    return args, None
