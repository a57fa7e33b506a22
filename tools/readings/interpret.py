"""What a reading means for the patient: its guideline band and what to do next.

Pure and data-driven (``data/interpretation.yaml``): thresholds are FACTS ids, messages are
templates filled from the reading and the facts table, so every number the patient reads has a
source. Readings with no band in the data (heart rate, weight, ...) get no interpretation.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import ConfigurationError
from knowledge.facts import fact_value
from tools.readings.models import Bilingual, NormalisedReading
from tools.readings.render import fill_bilingual, format_number

INTERPRETATION_PATH = Path(__file__).with_name("data") / "interpretation.yaml"


class BpBand(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str
    sbp_fact: str | None = None
    dbp_fact: str | None = None
    message: Bilingual


class GlucoseBand(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str
    at_least_fact: str | None = None
    above_fact: str | None = None
    """Strictly above (a target's upper end is still in target)."""
    message: Bilingual

    def holds(self, value: float) -> bool:
        if self.above_fact is not None:
            return value > fact_value(self.above_fact)
        assert self.at_least_fact is not None
        return value >= fact_value(self.at_least_fact)

    @property
    def fact(self) -> str:
        found = self.above_fact or self.at_least_fact
        assert found is not None
        return found


class InterpretationRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    documents: dict[str, list[str]]
    blood_pressure: list[BpBand]
    glucose: dict[str, list[GlucoseBand]]
    glucose_diabetes: dict[str, list[GlucoseBand]]
    """Bands for someone with diabetes: the control targets (fasting, after a meal)."""


class Interpretation(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    message: Bilingual
    fact_ids: list[str]
    rules_version: int


@lru_cache(maxsize=1)
def load_interpretation_rules(path: Path = INTERPRETATION_PATH) -> InterpretationRules:
    try:
        return InterpretationRules.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load reading interpretation {path}: {exc}") from exc


def interpret_reading(
    reading: NormalisedReading, conditions: frozenset[str] = frozenset()
) -> Interpretation | None:
    rules = load_interpretation_rules()
    context = {name: format_number(v, reading.unit) for name, v in reading.display.items()}
    if reading.kind == "blood_pressure":
        band = _bp_band(rules.blood_pressure, reading.values["sbp"], reading.values["dbp"])
        if band is None:
            return None
        facts = [f for f in (band.sbp_fact, band.dbp_fact) if f]
        return Interpretation(
            code=band.code,
            message=fill_bilingual(band.message, context),
            fact_ids=facts,
            rules_version=rules.version,
        )
    if reading.kind == "glucose":
        bands = _glucose_bands(rules, reading.meal_context or "random", "diabetes" in conditions)
        value = reading.values["value"]
        chosen = next((b for b in bands if b.holds(value)), None)
        if chosen is None:
            return None  # below the lowest band: the low-glucose alert speaks
        return Interpretation(
            code=chosen.code,
            message=fill_bilingual(chosen.message, context),
            fact_ids=[chosen.fact],
            rules_version=rules.version,
        )
    return None


def _glucose_bands(
    rules: InterpretationRules, meal_context: str, diabetes: bool
) -> list[GlucoseBand]:
    if diabetes:
        table = rules.glucose_diabetes
        return table.get(
            "fasting" if meal_context in ("fasting", "before_meal") else "after_meal_2h", []
        )
    return rules.glucose.get(meal_context) or rules.glucose["random"]


def _bp_band(bands: list[BpBand], sbp: float, dbp: float) -> BpBand | None:
    for band in bands:
        if band.sbp_fact is None and band.dbp_fact is None:
            return band
        if (band.sbp_fact and sbp >= fact_value(band.sbp_fact)) or (
            band.dbp_fact and dbp >= fact_value(band.dbp_fact)
        ):
            return band
    return None
