"""The case format: one case is a short conversation plus what a clinician expects of it.

Expectations on a turn (all optional, each checked by a deterministic judge):

- ``triage``: an expected level or an acceptable set, and whether a manager must be alerted;
- ``tool_calls`` with argument constraints (dotted paths), ``forbidden_tools``;
- ``cards`` shown this turn, with data constraints; case-level ``records``: cards that must
  exist by the end of the conversation (a referral to cardiology, a plan with its APR);
- ``must`` / ``must_not`` regex patterns on the reply (a ``must_not`` may be marked unsafe);
- ``facts``: FACTS.yaml ids whose value the reply must state (answer keys);
- ``citations``: citations required, optionally from an accepted set of doc ids;
- ``review``: acceptable reviewer verdicts; ``refusal``: must decline / must answer;
- ``rubric``: physician-rubric items with positive or negative points and tags;
- ``rejected``: the service must refuse the turn with this error code.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.schemas import CardType, TriageLevel, Verdict

_CONSTRAINT_KEYS = {"eq", "in", "min", "max", "regex", "exists", "contains"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Constraint(_Strict):
    """A value constraint; a bare value in a suite file means ``{eq: value}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    eq: Any = None
    in_: list[Any] | None = Field(None, alias="in")
    min: float | None = None
    max: float | None = None
    regex: str | None = None
    contains: str | None = None
    exists: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_value(cls, value: Any) -> Any:
        if isinstance(value, Constraint):
            return value
        if isinstance(value, dict) and value and set(value) <= _CONSTRAINT_KEYS:
            return value
        return {"eq": value}

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            _compile(value)
        return value


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc


class PatternCheck(_Strict):
    pattern: str
    why: str = ""
    unsafe: bool = False
    """For ``must_not``: a match is unsafe advice (counts in ``unsafe_advice_rate``)."""

    @model_validator(mode="before")
    @classmethod
    def _bare_pattern(cls, value: Any) -> Any:
        return {"pattern": value} if isinstance(value, str) else value

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        _compile(value)
        return value


class RubricItem(_Strict):
    criterion: str = Field(min_length=3)
    points: float
    """Positive: credit when met; negative: penalty when met (a "must not")."""
    pattern: str | None = None
    """When set, the deterministic judge decides "met" by this regex on the reply."""
    tags: list[str] = Field(default_factory=list)

    @field_validator("points")
    @classmethod
    def _non_zero(cls, value: float) -> float:
        if value == 0:
            raise ValueError("points must be non-zero (negative for a must-not)")
        return value

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            _compile(value)
        return value


class TriageExpectation(_Strict):
    level: TriageLevel | None = None
    levels: list[TriageLevel] | None = None
    escalated: bool | None = None

    def acceptable(self) -> list[TriageLevel]:
        return list(self.levels or ([self.level] if self.level else []))


class ToolExpectation(_Strict):
    name: str
    args: dict[str, Constraint] = Field(default_factory=dict)


class CardExpectation(_Strict):
    type: CardType
    data: dict[str, Constraint] = Field(default_factory=dict)


class CitationExpectation(_Strict):
    required: bool = True
    doc_ids: list[str] = Field(default_factory=list)
    """Accepted documents: at least one citation must be one of them (when given)."""


class Expectations(_Strict):
    triage: TriageExpectation | None = None
    tool_calls: list[ToolExpectation] = Field(default_factory=list)
    forbidden_tools: list[str] = Field(default_factory=list)
    cards: list[CardExpectation] = Field(default_factory=list)
    must: list[PatternCheck] = Field(default_factory=list)
    must_not: list[PatternCheck] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)
    citations: CitationExpectation | None = None
    review: list[Verdict] | None = None
    refusal: bool | None = None
    rubric: list[RubricItem] = Field(default_factory=list)
    rejected: str | None = None
    """The service must refuse the turn with this error code (e.g. ``message_too_long``)."""

    @field_validator("facts")
    @classmethod
    def _known_facts(cls, value: list[str]) -> list[str]:
        from knowledge.facts import load_facts

        unknown = sorted(set(value) - set(load_facts()))
        if unknown:
            raise ValueError(f"unknown FACTS.yaml id(s): {', '.join(unknown)}")
        return value


class Turn(_Strict):
    user: str = Field(min_length=1)
    expect: Expectations = Field(default_factory=Expectations)


class Seed(_Strict):
    """An earlier conversation (possibly another tenant's) whose values must never leak."""

    tenant: str = "default"
    patient_ref: str
    user: str = Field(min_length=1)
    secrets: list[str] = Field(default_factory=list)
    """Strings from this seed that the case's own replies must never contain."""


class PatientProfile(_Strict):
    ref: str | None = None
    age: float | None = None
    sex: Literal["male", "female", "other"] | None = None
    conditions: list[str] = Field(default_factory=list)
    notes: str = ""


class EvalCase(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)
    suite: str = ""
    tags: list[str] = Field(default_factory=list)
    tenant: str = "default"
    patient: PatientProfile = Field(default_factory=PatientProfile)
    seeds: list[Seed] = Field(default_factory=list)
    turns: list[Turn] = Field(min_length=1)
    expect: Expectations | None = None
    """Shorthand for the last turn's expectations (merged into it)."""
    records: list[CardExpectation] = Field(default_factory=list)
    notes: str = ""

    @model_validator(mode="after")
    def _merge_case_expectations(self) -> EvalCase:
        if self.expect is None:
            return self
        last = self.turns[-1]
        merged = last.expect.model_dump(exclude_defaults=True, by_alias=True)
        merged.update(self.expect.model_dump(exclude_defaults=True, by_alias=True))
        turns = [*self.turns[:-1], Turn(user=last.user, expect=Expectations(**merged))]
        object.__setattr__(self, "turns", turns)
        object.__setattr__(self, "expect", None)
        return self

    def secrets(self) -> list[str]:
        return [secret for seed in self.seeds for secret in seed.secrets]


class SuiteFile(_Strict):
    """A YAML suite: ``version``, ``suite`` name, tags added to every case, and the cases."""

    version: int
    suite: str = Field(pattern=r"^[a-z0-9_-]+$")
    tags: list[str] = Field(default_factory=list)
    tenant: str = "default"
    cases: list[dict[str, Any]] = Field(min_length=1)
