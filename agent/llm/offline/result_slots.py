"""Slots for ``explain_results``: exam values by name, and a height and weight."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from tools.results.explain import load_exam_rules

_NUMBER = r"(\d+(?:\.\d+)?)"
_HEIGHT = [
    (re.compile(rf"(?:身高|height)\D{{0,4}}?{_NUMBER}\s*(cm|厘米|公分|m|米)?"), None),
    (re.compile(rf"{_NUMBER}\s*(cm|厘米|公分)"), "cm"),
    (re.compile(r"(\d)\s*米\s*(\d{1,2})"), "m+cm"),
]
_WEIGHT = re.compile(
    rf"(?:体重|weight|weigh)\D{{0,4}}?{_NUMBER}\s*(kg|公斤|千克|斤|lbs?)?"
    rf"|{_NUMBER}\s*(kg|公斤|千克|斤)"
)


@lru_cache(maxsize=1)
def _analytes() -> list[tuple[str, re.Pattern[str]]]:
    # A name, then up to 8 characters (units, ":", "是"), then the value.
    return [
        (name, re.compile(rf"(?:{a.names})[^。？?！!\d]{{0,8}}?(?P<value>\d+(?:\.\d+)?)"))
        for name, a in load_exam_rules().analytes.items()
    ]


def _height_cm(text: str) -> float | None:
    for pattern, kind in _HEIGHT:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "m+cm":  # "1米7" is 1.70 m, "1米65" 1.65 m
            rest = float(match.group(2))
            return float(match.group(1)) * 100 + (rest * 10 if rest < 10 else rest)
        value = float(match.group(1))
        unit = match.group(2) if kind is None else kind
        return value * 100 if (unit in ("m", "米") or value < 3) else value
    return None


def _weight_kg(text: str) -> float | None:
    match = _WEIGHT.search(text)
    if not match:
        return None
    value = float(match.group(1) or match.group(3))
    unit = match.group(2) or match.group(4) or "kg"
    if unit == "斤":
        return value / 2
    if unit.startswith("lb"):
        return round(value * 0.4536, 1)
    return value


def result_args(text: str) -> dict[str, Any] | None:
    found: list[tuple[int, dict[str, Any]]] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _analytes():
        for match in pattern.finditer(text):
            span = match.span("value")
            if any(a <= span[0] < b for a, b in taken):
                continue  # "高密度" inside "低密度脂蛋白..." is not a second value
            taken.append(span)
            found.append((span[0], {"name": name, "value": float(match.group("value"))}))
            break
    values = [value for _, value in sorted(found, key=lambda item: item[0])]
    args: dict[str, Any] = {"values": values}
    height, weight = _height_cm(text), _weight_kg(text)
    if height is not None and weight is not None:
        args |= {"height_cm": height, "weight_kg": weight}
    return args if values or "height_cm" in args else None
