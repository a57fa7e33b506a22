"""Parse numbers as patients write them: 10万, 5千, 1.2w, 100,000, 五千, 六成, 60%."""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0,
    "〇": 0,
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
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
CN_NUMBER = "[零〇一二两三四五六七八九十百千万亿]+"
NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
MULTIPLIER = r"(?:万|w|W|千|k|K|百|亿)?"
_MULT = {
    "万": 10_000,
    "w": 10_000,
    "W": 10_000,
    "千": 1000,
    "k": 1000,
    "K": 1000,
    "百": 100,
    "亿": 100_000_000,
    "": 1,
}


def chinese_to_int(text: str) -> int | None:
    """'五千' -> 5000, '十二' -> 12, '一万五' -> 15000 (trailing digit takes the next unit)."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total, section, digit = 0, 0, 0
    last_unit = 1
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            if unit >= 10_000:
                section = (section + digit) * unit
                total += section
                section, digit = 0, 0
            else:
                section += (digit or 1) * unit
                digit = 0
            last_unit = unit
    if digit and last_unit >= 10:
        # "一万五" = 15000, "三千二" = 3200: a trailing digit is a tenth of the last unit.
        section += digit * (last_unit // 10)
        digit = 0
    return total + section + digit


def to_number(value: str, multiplier: str = "") -> float | None:
    value = value.replace(",", "")
    try:
        number = float(value)
    except ValueError:
        parsed = chinese_to_int(value)
        if parsed is None:
            return None
        number = float(parsed)
    return number * _MULT.get(multiplier, 1)


_AMOUNT = re.compile(rf"({NUMBER}|{CN_NUMBER})\s*({MULTIPLIER})\s*(?:元|块|yuan|rmb|RMB|¥)?")


def find_amounts(text: str) -> list[tuple[float, int, int]]:
    """All amounts with their span (value, start, end)."""
    out: list[tuple[float, int, int]] = []
    for match in _AMOUNT.finditer(text):
        value = to_number(match.group(1), match.group(2))
        if value is not None:
            out.append((value, match.start(), match.end()))
    return out
