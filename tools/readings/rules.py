"""Alert rules (``data/alert_rules.yaml``) as validated models.

Thresholds are never numbers in the YAML: a comparison names a fact id and the value is read
from ``knowledge/FACTS.yaml`` when the rule is evaluated. Loading checks that every fact id named
by a rule exists, so a typo fails at start-up, not at 3 a.m. on a low reading.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, model_validator

from core.errors import ConfigurationError, ServiceError
from knowledge.facts import fact_value, get_fact
from tools.readings.models import Bilingual, ReadingKind

RULES_PATH = Path(__file__).with_name("data") / "alert_rules.yaml"

Severity = Literal["info", "warning", "high", "critical"]
SEVERITY_RANK: dict[Severity, int] = {"info": 0, "warning": 1, "high": 2, "critical": 3}

_OPS: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


class Comparison(BaseModel):
    field: str
    op: Literal["lt", "le", "gt", "ge"]
    fact: str

    def holds(self, values: dict[str, float]) -> bool:
        value = values.get(self.field)
        return value is not None and _OPS[self.op](value, fact_value(self.fact))


class WeightGainParams(BaseModel):
    gain_fact: str
    days_fact: str


class NightLowParams(BaseModel):
    """Service alerting policy for the repeated-night-lows pattern (not guideline figures)."""

    min_nights: int = Field(ge=2)
    lookback_hours: float = Field(gt=0)
    night_start_hour: int = Field(ge=0, le=23)
    night_end_hour: int = Field(ge=1, le=24)


class AlertRule(BaseModel):
    code: str
    type: Literal["threshold", "weight_gain", "repeated_night_lows"]
    kind: ReadingKind
    severity: Severity
    dedupe_group: str
    match: Literal["any", "all"] = "any"
    comparisons: list[Comparison] = Field(default_factory=list)
    requires_conditions: list[str] = Field(default_factory=list)
    excludes_conditions: list[str] = Field(default_factory=list)
    weight_gain: WeightGainParams | None = None
    night_lows: NightLowParams | None = None
    extra_facts: list[str] = Field(default_factory=list)
    patient_message: Bilingual
    manager_message: Bilingual

    @model_validator(mode="after")
    def _params_match_type(self) -> AlertRule:
        if self.type in ("threshold", "repeated_night_lows") and not self.comparisons:
            raise ValueError(f"rule {self.code}: a {self.type} rule needs comparisons")
        if self.type == "weight_gain" and self.weight_gain is None:
            raise ValueError(f"rule {self.code}: weight_gain parameters missing")
        if self.type == "repeated_night_lows" and self.night_lows is None:
            raise ValueError(f"rule {self.code}: night_lows parameters missing")
        return self

    def applies_to(self, conditions: frozenset[str]) -> bool:
        return set(self.requires_conditions) <= conditions and not (
            set(self.excludes_conditions) & conditions
        )

    def fact_ids(self) -> list[str]:
        ids = [c.fact for c in self.comparisons]
        if self.weight_gain is not None:
            ids += [self.weight_gain.gain_fact, self.weight_gain.days_fact]
        ids += self.extra_facts
        return list(dict.fromkeys(ids))


class DedupePolicy(BaseModel):
    window_hours: float = Field(gt=0)


class AlertRuleSet(BaseModel):
    version: int
    dedupe: DedupePolicy
    rules: list[AlertRule]

    @model_validator(mode="after")
    def _unique_codes(self) -> AlertRuleSet:
        codes = [r.code for r in self.rules]
        if len(codes) != len(set(codes)):
            raise ValueError("duplicate rule codes")
        return self


@lru_cache(maxsize=4)
def load_alert_rules(path: Path = RULES_PATH) -> AlertRuleSet:
    try:
        rule_set = AlertRuleSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read alert rules {path}: {exc}") from exc
    for rule in rule_set.rules:
        for fact_id in rule.fact_ids():
            try:
                get_fact(fact_id)
            except ServiceError as exc:
                raise ConfigurationError(
                    f"alert rule {rule.code} names unknown fact {fact_id!r}"
                ) from exc
    return rule_set
