"""Who the complaint is about: age, sex and pregnancy from the request, completed from the text.

"我个仔得两个月大", "3-week-old", "72M," and "孕28周" are common ways the facts arrive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.triage.models import Sex, TriageRequest
from tools.triage.numbers import DAYS_PER_MONTH, NUM, WEEKS_PER_MONTH, parse_number

_AGE_MONTHS = re.compile(
    NUM + r"\s*(?:个)?月(?:大|龄|的(?:宝宝|孩子|婴儿|女儿|儿子|bb|小孩))"
    r"|出生(?:才|刚)?" + NUM + r"\s*(天|周|个月)"
    r"|(?:宝宝|婴儿|孩子|儿子|女儿|bb|baby)[^,\d]{0,3}"
    + NUM
    + r"\s*(天|周|个月|days?|weeks?|months?)"
    r"|" + NUM + r"\s*(天|周)大"
    r"|" + NUM + r"[- ]?(month|mo|week|wk|day)s?[- ]old"
)
_NEWBORN = re.compile(r"新生儿|刚出生|\bnewborn\b|\bneonate\b")
_AGE_YEARS = re.compile(
    NUM + r"\s*(?:周)?岁"
    r"|" + NUM + r"[- ]?(?:year|yr)s?[- ]old"
    r"|\b(\d{1,3})\s?(?:yo|y/o|y\.o\.|yrs?)\b"
    r"|^(?:pt\s*)?(\d{1,3})\s?(?:yo\s?)?[mf]\b"
)
_SEX_NOTE = re.compile(r"^(?:pt\s*)?\d{1,3}\s?(?:yo\s?)?([mf])\b|^(男|女)\s*[,，\s]")
_PREGNANT_WEEKS = re.compile(
    r"(?:孕|怀孕|妊娠)" + NUM + r"\s*(?:个)?(周|月)"
    r"|" + NUM + r"\s*weeks?(?: pregnant| gestation|'? ?gestation)"
    r"|pregnant[, ]+(?:at\s+)?" + NUM + r"\s*weeks?"
    r"|\b(\d{2})\s*(?:\+\d)?\s*/\s*40\b"
)


@dataclass(frozen=True)
class Profile:
    age_months: float | None
    sex: Sex | None
    pregnant_weeks: float | None


def _first(groups: tuple[str | None, ...]) -> tuple[float | None, str | None]:
    values = [g for g in groups if g is not None]
    if not values:
        return None, None
    number = parse_number(values[0])
    unit = values[1] if len(values) > 1 else None
    return number, unit


def _months_from_text(text: str) -> float | None:
    if _NEWBORN.search(text):
        return 0.5
    match = _AGE_MONTHS.search(text)
    if match:
        value, unit = _first(match.groups())
        if value is not None:
            if unit and unit.startswith(("天", "day")):
                return value / DAYS_PER_MONTH
            if unit and unit.startswith(("周", "week", "wk")):
                return value / WEEKS_PER_MONTH
            return value
    match = _AGE_YEARS.search(text)
    if match:
        value, _ = _first(match.groups())
        if value is not None and value <= 120:
            return value * 12
    return None


def _pregnancy_from_text(text: str) -> float | None:
    match = _PREGNANT_WEEKS.search(text)
    if not match:
        return None
    value, unit = _first(match.groups())
    if value is None:
        return None
    weeks = value * 4.3 if unit in ("月", "个月") else value
    return weeks if 0 < weeks <= 45 else None


def build_profile(request: TriageRequest, normalised: str) -> Profile:
    if request.age_months is not None:
        months: float | None = request.age_months
    elif request.age is not None:
        months = request.age * 12
    else:
        months = _months_from_text(normalised)
    sex = request.sex
    if sex is None:
        note = _SEX_NOTE.search(normalised)
        if note:
            letter = note.group(1) or note.group(2)
            sex = "male" if letter in ("m", "男") else "female"
    weeks = request.pregnant_weeks
    if weeks is None:
        weeks = _pregnancy_from_text(normalised)
    return Profile(age_months=months, sex=sex, pregnant_weeks=weeks)
