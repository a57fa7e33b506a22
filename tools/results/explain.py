"""What exam-report values and a height and weight mean: plain functions over
``data/exam_values.yaml`` (thresholds are FACTS ids, messages templates), so every number the
patient reads comes from the report or a cited fact."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import ConfigurationError
from knowledge.facts import fact_value
from tools.readings.models import Bilingual
from tools.readings.render import fill_bilingual, format_number

EXAM_VALUES_PATH = Path(__file__).with_name("data") / "exam_values.yaml"


class Band(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str
    at_least: str | None = None
    below: str | None = None
    zh: str
    en: str

    @model_validator(mode="after")
    def _one_bound(self) -> Band:
        if (self.at_least is None) == (self.below is None):
            raise ValueError(f"band {self.code}: exactly one of at_least / below")
        return self

    def reached(self, value: float) -> bool:
        if self.at_least is not None:
            return value >= fact_value(self.at_least)
        assert self.below is not None
        return value < fact_value(self.below)


class Otherwise(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str
    zh: str
    en: str


class Analyte(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    names: str
    """How reports and patients write it (a regular expression over normalised text)."""
    unit: str
    documents: list[str] = Field(min_length=1)
    bands: list[Band] = []
    otherwise: Otherwise | None = None
    report_range: bool = False
    """No fixed threshold: laboratories differ, the report's printed range decides."""
    zh: str = ""
    en: str = ""

    @model_validator(mode="after")
    def _explained(self) -> Analyte:
        if self.report_range == bool(self.bands or self.otherwise):
            raise ValueError("an analyte has bands and an otherwise text, or a report range")
        return self


class BmiRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    documents: list[str]
    bands: list[Band]
    otherwise: Otherwise


class ExamRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    analytes: dict[str, Analyte]
    bmi: BmiRules


@lru_cache(maxsize=1)
def load_exam_rules(path: Path = EXAM_VALUES_PATH) -> ExamRules:
    try:
        return ExamRules.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load exam-value rules {path}: {exc}") from exc


class Explanation(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    """The analyte's code ("ldl_c") or ``bmi``."""
    value: float
    unit: str
    code: str
    message: Bilingual
    fact_ids: list[str]
    documents: list[str]


def _first(bands: list[Band], otherwise: Otherwise | None, value: float) -> Band | Otherwise | None:
    return next((band for band in bands if band.reached(value)), otherwise)


def explain_value(name: str, value: float) -> Explanation:
    rules = load_exam_rules()
    analyte = rules.analytes[name]
    shown = format_number(value)
    context = {"value": shown}
    if analyte.report_range:
        message = fill_bilingual(Bilingual(zh=analyte.zh, en=analyte.en), context)
        return Explanation(
            name=name,
            value=value,
            unit=analyte.unit,
            code=f"{name}_report_range",
            message=message,
            fact_ids=[],
            documents=analyte.documents,
        )
    chosen = _first(analyte.bands, analyte.otherwise, value)
    assert chosen is not None, f"{name}: no band and no otherwise text"
    facts = [f for f in (getattr(chosen, "at_least", None), getattr(chosen, "below", None)) if f]
    return Explanation(
        name=name,
        value=value,
        unit=analyte.unit,
        code=chosen.code,
        message=fill_bilingual(Bilingual(zh=chosen.zh, en=chosen.en), context),
        fact_ids=facts,
        documents=analyte.documents,
    )


def explain_bmi(height_cm: float, weight_kg: float) -> Explanation:
    rules = load_exam_rules().bmi
    bmi = round(weight_kg / (height_cm / 100) ** 2, 1)
    chosen = _first(rules.bands, rules.otherwise, bmi)
    assert chosen is not None
    context = {
        "height": format_number(height_cm),
        "weight": format_number(weight_kg),
        "bmi": f"{bmi:.1f}",
    }
    facts = [f for f in (getattr(chosen, "at_least", None), getattr(chosen, "below", None)) if f]
    return Explanation(
        name="bmi",
        value=bmi,
        unit="kg/m²",
        code=chosen.code,
        message=fill_bilingual(Bilingual(zh=chosen.zh, en=chosen.en), context),
        fact_ids=facts,
        documents=rules.documents,
    )
