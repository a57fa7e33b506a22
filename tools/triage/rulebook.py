"""The triage rule book: ``rules.yaml`` loaded into validated models with compiled patterns.

A rule fires when every group in ``requires`` has at least one alternative that holds: a term
mentioned (currently, about the patient, not negated) or a vital-sign predicate whose threshold
is a fact id from ``knowledge/FACTS.yaml``. ``none_of`` terms stop a rule (e.g. chest pain that
hurts only when pressed goes to the lower rule). References are checked at load time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import ConfigurationError, NotFound
from knowledge.facts import get_fact
from tools.triage.models import FacilityLevel, Level, Sex

RULES_PATH = Path(__file__).with_name("rules.yaml")

VitalName = Literal[
    "sbp",
    "dbp",
    "glucose_mmol",
    "temperature_c",
    "spo2",
    "heart_rate",
    "respiratory_rate",
    "inr",
    "weight_gain_kg",
    "weight_gain_days",
]


class Localised(BaseModel):
    model_config = ConfigDict(frozen=True)
    zh: str
    en: str


class Predicate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    vital: VitalName
    op: Literal["<", "<=", ">", ">="]
    fact: str


class Conditions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    pregnant: bool | None = None
    sex: Sex | None = None
    age_months_below_fact: str | None = None
    min_age_months_fact: str | None = None
    has_any: list[str] = Field(default_factory=list, description="condition terms, any")
    has_none: list[str] = Field(default_factory=list)


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str
    level: Level
    department: str
    requires: list[list[str | Predicate]]
    none_of: list[str] = Field(default_factory=list)
    when: Conditions = Conditions()
    advice: Localised | None = None
    ask: list[str] = Field(default_factory=list)
    facility: FacilityLevel | None = None
    settles: bool = Field(
        False,
        description="a self-limiting pattern: when the most urgent finding is only routine, "
        "the result settles to self_care (with the signs that should bring the patient back)",
    )


class Term(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)
    counts_when_hypothetical: bool = Field(
        default=False,
        description="a question is itself the warning sign (asking for a lethal amount)",
    )
    context: bool = Field(
        default=False,
        description="a marker of how the message is meant (a joke, a game), not a symptom: "
        "it counts wherever it appears, negation and tense aside",
    )


class Spelling(BaseModel):
    """English keywords read through typing slips, and real words never to be corrected."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    keywords: tuple[str, ...] = ()
    protected: frozenset[str] = frozenset()


class DepartmentSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    zh: str
    en: str
    routine_facility: FacilityLevel = "community"
    urgent_facility: FacilityLevel = "county"


class CrisisProtocol(BaseModel):
    """What a crisis reply says, in order (WHO mhGAP 2016; the 12356 hotline, NHC 2025)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    intent_codes: frozenset[str] = Field(description="flags that mean intent, a plan or self-harm")
    distress_codes: frozenset[str] = Field(description="hopelessness without a stated plan")
    intent: list[Localised] = Field(description="immediate danger → 120/110, hotline, not alone")
    distress: list[Localised] = Field(description="the direct, caring safety question")
    safe_answer: list[Localised] = Field(
        description="a clear no to the safety question: support, and when to reach out"
    )


class Rulebook(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    departments: dict[str, DepartmentSpec]
    level_advice: dict[Level, Localised]
    crisis: CrisisProtocol
    remeasure_advice: Localised
    ongoing_emergency: Localised
    emergency_handled: Localised
    emergency_waiting: list[Localised] = Field(
        description="120 is called and help is on its way: the opening and the closing around "
        "the emergency's own steps for while waiting"
    )
    questions: dict[str, Localised]
    plausibility: dict[VitalName, tuple[float, float]]
    spelling: Spelling = Spelling()
    terms: dict[str, Term]
    rules: list[Rule]

    @model_validator(mode="after")
    def _references_resolve(self) -> Rulebook:
        for rule in self.rules:
            where = f"rule {rule.code}"
            if rule.department not in self.departments:
                raise ValueError(f"{where}: unknown department {rule.department!r}")
            names = [alt for group in rule.requires for alt in group if isinstance(alt, str)]
            names += rule.none_of + rule.when.has_any + rule.when.has_none
            for name in names:
                if name not in self.terms:
                    raise ValueError(f"{where}: unknown term {name!r}")
            for question in rule.ask:
                if question not in self.questions:
                    raise ValueError(f"{where}: unknown question {question!r}")
            facts = [
                alt.fact for group in rule.requires for alt in group if isinstance(alt, Predicate)
            ]
            facts += [
                f for f in (rule.when.age_months_below_fact, rule.when.min_age_months_fact) if f
            ]
            for fact in facts:
                try:
                    get_fact(fact)
                except NotFound as exc:
                    raise ValueError(f"{where}: {exc}") from None
        return self


class CompiledRulebook:
    """The validated book plus one compiled regex per term (zh and en alternatives together)."""

    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self.patterns: dict[str, re.Pattern[str]] = {}
        for name, term in book.terms.items():
            alternatives = term.zh + term.en
            try:
                self.patterns[name] = re.compile("|".join(f"(?:{a})" for a in alternatives))
            except re.error as exc:
                raise ConfigurationError(f"term {name!r}: bad pattern: {exc}") from exc


@lru_cache(maxsize=4)
def load_rulebook(path: Path = RULES_PATH) -> CompiledRulebook:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return CompiledRulebook(Rulebook.model_validate(raw))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load triage rules {path}: {exc}") from exc
