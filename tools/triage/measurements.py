"""Vital signs and lab values read from free text ("血压200/125", "SpO2 91%", "104°F").

Text values complete the caller's ``Vitals``; the caller's own values win. Values outside the
plausibility limits of the rule book (BP 300/20, glucose 80 mmol/L) are not used for triage and
are listed in ``implausible`` so the patient is asked to measure again.
"""

from __future__ import annotations

import re

from knowledge.facts import fact_value
from tools.triage.models import Measurements, Vitals
from tools.triage.numbers import (
    NUM,
    fahrenheit_to_celsius,
    glucose_mgdl_to_mmol,
    parse_number,
    weight_to_kg,
)

_BP = re.compile(
    r"(?:血压|\bbp|b/p|blood pressure|\bpressure)[^\d/]{0,30}(\d{2,3})\s*/\s*(\d{2,3})"
    r"|(\d{2,3})\s*/\s*(\d{2,3})\s*(?:mmhg|毫米汞柱)"
    r"|高压[^\d]{0,3}(\d{2,3})[^\d]{0,6}低压[^\d]{0,3}(\d{2,3})"
    r"|(?:量|测|度|measured|checked|reading|读数)[^\d/]{0,12}(\d{2,3})\s*/\s*(\d{2,3})(?![\d/])"
)
# "192/118" with no word around it: taken as a blood pressure only when it reads as one (both
# within the plausibility limits, upper above lower); anything else is silently not a reading.
_BP_BARE = re.compile(r"(?<![\d/.])(\d{2,3})\s*/\s*(\d{2,3})(?![\d/.])")
_SPO2 = re.compile(
    r"(?:spo2|sp02|血氧饱和度|血氧|氧饱和度|饱和度|o2 sats?|\bsats?\b|oxygen(?: saturation| level"
    r"| sat)?|pulse ox\w*)[^\d]{0,10}(\d{2,3})(?:\.\d)?\s*%?"
)
_TEMP = re.compile(
    r"(?:体温|发烧|发热|烧到|高烧|温度|\btemp(?:erature)?|fever(?: of)?|\bt\b|\btmax)"
    r"[^\d]{0,8}?(\d{2,3}(?:\.\d+)?)\s*(°\s*[cf]|度|f\b|c\b)?"
    r"|(\d{2,3}(?:\.\d+)?)\s*(°\s*[cf]|度)"
)
_TEMP_RANGE = re.compile(
    r"(?:体温|发烧|发热|烧|温度|\btemp(?:erature)?|fever)[^\d]{0,8}?\d{2,3}(?:\.\d+)?"
    r"\s*(?:度|°\s*[cf])?\s*(?:到|至|~|-|–|to)\s*(\d{2,3}(?:\.\d+)?)\s*(°\s*[cf]|度|f\b|c\b)?"
)
_GLUCOSE = re.compile(
    r"(?:血糖|glucose|blood sugars?|sugars?(?: level| reading)?|\bbgl?\b|\bbsl\b|fingerstick|\bcbg"
    r"|\bcgm|(?:glucose |sugar )?meter (?:says|reads|shows|said|read|showed))"
    r"(?:(?!i'?m\b|i am\b|aged?\b|岁)[^\d?？。!！;；]){0,14}(\d{1,3}(?:\.\d+)?)\s*"
    r"(mmol/l|mmol|mg/dl|mg)?"
)
# "5.9 fasting sugar": the value before the word (the gap above never crosses a sentence end or
# an age, so "sugar ok? i'm 45" is not a glucose of 45 mg/dL).
_GLUCOSE_BEFORE = re.compile(
    r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*(mmol/l|mmol|mg/dl)?\s*(?:fasting |random |morning |"
    r"after[- ]meal |post[- ]?meal )?(?:blood )?(?:sugar|glucose)\b"
)
_HEART_RATE = re.compile(r"(?:心率|脉搏|心跳|\bhr\b|heart rate|pulse(?! ox))[^\d]{0,8}(\d{2,3})")
_RESPIRATORY_RATE = re.compile(
    r"(?:呼吸频率|呼吸次数|\brr\b|\bresp(?:iratory)? rate|\brespirations?|breathing rate)"
    r"[^\d]{0,8}(\d{1,2})(?!\d)"
    r"|呼吸[^\d,，]{0,3}(\d{1,2})\s*次"
    r"|(?<!\d)(\d{1,2})\s*breaths?\s*(?:/|per|a)\s*min"
)
_OXYGEN = re.compile(
    r"吸氧|鼻导管|面罩给氧|在家用氧|制氧机|\bon (?:\d+\s*l(?:/min)? )?(?:oxygen|o2)\b"
    r"|(?:\d+\s*l(?:/min)?|supplemental) (?:oxygen|o2)|nasal cannula|home oxygen"
)
_INR = re.compile(r"\binr[^\d]{0,24}(\d{1,2}(?:\.\d+)?)")
_WEIGHT_GAIN = re.compile(
    r"(?:涨|长|增加|增|重了|多了|胖了|gained?|up|put on|increased? by)\s*了?\s*(?:by\s*)?"
    + NUM
    + r"\s*(kg|公斤|千克|斤|lbs?|pounds?|kilos?)"
)
_DAYS = re.compile(NUM + r"\s*(?:天|日|days?)")


def _celsius(value: float, unit: str | None) -> float | None:
    unit = (unit or "").replace(" ", "")
    if unit.endswith("f") or (not unit and 93 <= value <= 110):
        return fahrenheit_to_celsius(value)
    return value if 30 <= value <= 46 else None


def _glucose_mmol(value: float, unit: str | None) -> float:
    if unit and unit.startswith("mg"):
        return glucose_mgdl_to_mmol(value)
    if not unit and value > 35:  # a bare 40 or 250 is mg/dL: no meter reads that in mmol/L
        return glucose_mgdl_to_mmol(value)
    return value


def _weight_gain(text: str) -> tuple[float | None, float | None]:
    gain = _WEIGHT_GAIN.search(text)
    if gain is None:
        return None, None
    amount = parse_number(gain.group(1))
    kg = weight_to_kg(amount, gain.group(2)) if amount is not None else None
    window = text[max(0, gain.start() - 25) : gain.end() + 25]
    days_match = _DAYS.search(window)
    days = parse_number(days_match.group(1)) if days_match else None
    return kg, days


def read_measurements(
    normalised: str, vitals: Vitals | None, limits: dict[str, tuple[float, float]]
) -> Measurements:
    """Merge the caller's vitals with values found in the (normalised) text."""
    found: dict[str, list[float]] = {}
    implausible: list[str] = []

    def add(name: str, value: float | None, label: str) -> None:
        if value is None:
            return
        low, high = limits[name]
        if low <= value <= high:
            found.setdefault(name, []).append(value)
        else:
            implausible.append(label)

    for match in _BP.finditer(normalised):
        pair = [g for g in match.groups() if g is not None]
        sbp, dbp = float(pair[0]), float(pair[1])
        label = f"BP {sbp:g}/{dbp:g}"
        in_range = all(
            limits[name][0] <= value <= limits[name][1]
            for name, value in (("sbp", sbp), ("dbp", dbp))
        )
        if in_range and sbp > dbp:
            found.setdefault("sbp", []).append(sbp)
            found.setdefault("dbp", []).append(dbp)
        else:
            implausible.append(label)
    if "sbp" not in found:
        for match in _BP_BARE.finditer(normalised):
            sbp, dbp = float(match.group(1)), float(match.group(2))
            plausible = all(
                limits[name][0] <= value <= limits[name][1]
                for name, value in (("sbp", sbp), ("dbp", dbp))
            )
            if plausible and sbp > dbp:
                found.setdefault("sbp", []).append(sbp)
                found.setdefault("dbp", []).append(dbp)
    for match in _SPO2.finditer(normalised):
        add("spo2", float(match.group(1)), f"SpO2 {match.group(1)}%")
    for match in _TEMP.finditer(normalised):
        raw, unit = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        add("temperature_c", _celsius(float(raw), unit), f"temperature {raw}")
    for match in _TEMP_RANGE.finditer(normalised):  # "37.9到38.1": the upper end counts too
        add("temperature_c", _celsius(float(match.group(1)), match.group(2)), "temperature range")
    for match in [*_GLUCOSE.finditer(normalised), *_GLUCOSE_BEFORE.finditer(normalised)]:
        value = _glucose_mmol(float(match.group(1)), match.group(2))
        add("glucose_mmol", value, f"glucose {match.group(1)} {match.group(2) or ''}".strip())
    for match in _HEART_RATE.finditer(normalised):
        add("heart_rate", float(match.group(1)), f"heart rate {match.group(1)}")
    for match in _RESPIRATORY_RATE.finditer(normalised):
        raw = match.group(1) or match.group(2) or match.group(3)
        add("respiratory_rate", float(raw), f"respiratory rate {raw}")
    for match in _INR.finditer(normalised):
        add("inr", float(match.group(1)), f"INR {match.group(1)}")

    caller = vitals.model_dump(exclude_none=True) if vitals else {}
    for name, value in list(caller.items()):
        low, high = limits[name]
        if not low <= value <= high:
            implausible.append(f"{name} {value:g}")
            caller.pop(name)
            found.pop(name, None)

    hypo_limit = fact_value("glucose.hypo.level1")
    chosen: dict[str, float] = {}
    for name, values in found.items():
        if name == "spo2":
            chosen[name] = min(values)
        elif name == "glucose_mmol":
            chosen[name] = min(values) if min(values) < hypo_limit else max(values)
        else:
            chosen[name] = max(values)
    chosen.update(caller)
    gain_kg, gain_days = _weight_gain(normalised)
    return Measurements(
        **chosen,
        on_oxygen=bool(_OXYGEN.search(normalised)),
        weight_gain_kg=gain_kg,
        weight_gain_days=gain_days,
        implausible=implausible,
    )
