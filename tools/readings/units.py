"""Unit tables (``data/units.yaml``) and conversion to canonical units."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from core.errors import ConfigurationError, ValidationFailed
from core.text import normalise
from tools.readings.models import ReadingKind

UNITS_PATH = Path(__file__).with_name("data") / "units.yaml"


class UnitConversion(BaseModel):
    aliases: list[str] = Field(min_length=1)
    multiply: float = 1.0
    divide: float = 1.0

    def to_canonical(self, value: float) -> float:
        return value * self.multiply / self.divide


class KindUnits(BaseModel):
    canonical: str
    display_decimals: int = Field(ge=0, le=3)
    units: list[UnitConversion] = Field(min_length=1)


class UnitsTable(BaseModel):
    version: int
    kinds: dict[ReadingKind, KindUnits]


@lru_cache(maxsize=4)
def load_units(path: Path = UNITS_PATH) -> UnitsTable:
    try:
        return UnitsTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read unit table {path}: {exc}") from exc


def unit_key(unit: str) -> str:
    """The form aliases are matched in: normalised text without spaces."""
    return normalise(unit).replace(" ", "")


def find_conversion(kind: ReadingKind, unit: str) -> tuple[KindUnits, UnitConversion]:
    """The conversion for ``unit``; raises ``ValidationFailed(code="unknown_unit")``."""
    table = load_units().kinds[kind]
    key = unit_key(unit)
    for conversion in table.units:
        if key in (unit_key(alias) for alias in conversion.aliases):
            return table, conversion
    accepted = ", ".join(c.aliases[0] for c in table.units)
    raise ValidationFailed(
        f"unknown unit {unit!r} for a {kind} reading; accepted units: {accepted}",
        message_zh=f"无法识别的单位“{unit}”（{kind}），可用单位：{accepted}",
        field="unit",
        code="unknown_unit",
        details={"kind": kind, "unit": unit, "accepted": [c.aliases[0] for c in table.units]},
    )
