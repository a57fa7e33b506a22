"""Validate an incoming reading and convert it to canonical units.

Refusals (each a ``ValidationFailed`` with its own code, English and Chinese message):
``timezone_required``, ``future_timestamp``, ``unknown_unit``, ``negative_value``,
``not_a_number``. Implausible-but-possible values are *not* refused here; see ``plausibility``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from core.errors import ValidationFailed
from tools.readings.models import BloodPressureIn, GlucoseIn, NormalisedReading, ReadingIn
from tools.readings.plausibility import load_plausibility
from tools.readings.units import find_conversion


def raw_values_of(reading: ReadingIn) -> dict[str, float]:
    """The numeric fields of a reading, by name, as sent."""
    if isinstance(reading, BloodPressureIn):
        values = {"sbp": reading.sbp, "dbp": reading.dbp}
        if reading.pulse is not None:
            values["pulse"] = reading.pulse
        return values
    return {"value": reading.value}


def check_measured_at(measured_at: datetime, now: datetime) -> None:
    if measured_at.tzinfo is None or measured_at.utcoffset() is None:
        raise ValidationFailed(
            "measured_at must include a time zone (e.g. 2026-05-01T08:00:00+08:00)",
            message_zh="测量时间必须带时区（例如 2026-05-01T08:00:00+08:00）",
            field="measured_at",
            code="timezone_required",
        )
    max_ahead = timedelta(minutes=load_plausibility().max_future_minutes)
    if measured_at - now > max_ahead:
        raise ValidationFailed(
            f"measured_at {measured_at.isoformat()} is in the future; check the device clock",
            message_zh=f"测量时间 {measured_at.isoformat()} 晚于当前时间，请检查设备时间设置",
            field="measured_at",
            code="future_timestamp",
            details={"measured_at": measured_at.isoformat(), "now": now.isoformat()},
        )


def check_numbers(values: dict[str, float]) -> None:
    for name, value in values.items():
        if not math.isfinite(value):
            raise ValidationFailed(
                f"{name} is not a number",
                message_zh=f"{name} 不是有效数字",
                field=name,
                code="not_a_number",
            )
        if value < 0:
            raise ValidationFailed(
                f"{name} cannot be negative (got {value:g})",
                message_zh=f"{name} 不能为负数（收到 {value:g}）",
                field=name,
                code="negative_value",
            )


def normalise_reading(reading: ReadingIn, now: datetime) -> NormalisedReading:
    """Validate ``reading`` against ``now`` (use ``ToolContext.now``) and convert its units."""
    check_measured_at(reading.measured_at, now)
    raw = raw_values_of(reading)
    check_numbers(raw)
    table, conversion = find_conversion(reading.kind, reading.unit)
    values = dict(raw)
    for name in values:
        # A cuff's pulse is beats per minute whatever the pressure unit is.
        if not (reading.kind == "blood_pressure" and name == "pulse"):
            values[name] = conversion.to_canonical(values[name])
    display = {name: round(v, table.display_decimals) for name, v in values.items()}
    return NormalisedReading(
        kind=reading.kind,
        measured_at=reading.measured_at,
        source_device=reading.source_device,
        unit=table.canonical,
        values=values,
        display=display,
        raw_unit=reading.unit,
        raw_values=raw,
        meal_context=reading.meal_context if isinstance(reading, GlucoseIn) else None,
    )
