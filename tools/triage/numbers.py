"""Number words and unit conversions used when reading values out of free text."""

from __future__ import annotations

import re

NUM = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十半]+)"

_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

MGDL_PER_MMOL_GLUCOSE = 18.0
KG_PER_LB = 0.45359237
KG_PER_JIN = 0.5  # 市斤
DAYS_PER_MONTH = 30.44
WEEKS_PER_MONTH = DAYS_PER_MONTH / 7


def parse_number(token: str) -> float | None:
    """Arabic digits, or a small Chinese number (两, 十五, 二十, 半, 一个半 is not supported)."""
    try:
        return float(token)
    except ValueError:
        pass
    if token == "半":
        return 0.5
    if not token or any(ch not in _DIGITS and ch not in "十半" for ch in token):
        return None
    if "十" in token:
        tens, _, units = token.partition("十")
        value = (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)
        return float(value)
    if len(token) == 1 and token in _DIGITS:
        return float(_DIGITS[token])
    return None


def fahrenheit_to_celsius(value: float) -> float:
    return round((value - 32) * 5 / 9, 1)


def glucose_mgdl_to_mmol(value: float) -> float:
    return round(value / MGDL_PER_MMOL_GLUCOSE, 1)


def weight_to_kg(value: float, unit: str) -> float:
    unit = unit.lower()
    if unit.startswith(("lb", "pound")):
        return round(value * KG_PER_LB, 2)
    if unit == "斤":
        return value * KG_PER_JIN
    return value


def first_number(match: re.Match[str]) -> float | None:
    for group in match.groups():
        if group is not None:
            value = parse_number(group)
            if value is not None:
                return value
    return None
