"""Reason codes the reviewer and the deterministic checks attach to a verdict.

Which codes force a human (``hold``) and which only send the draft back (``revise``) is data,
in ``data/reason_codes.yaml``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, model_validator

from guardrails.data_files import load_data_file

Severity = Literal["hold", "revise"]


class ReasonCode(StrEnum):
    UNSUPPORTED_CLAIM = "UNSUPPORTED_CLAIM"
    UNSOURCED_NUMBER = "UNSOURCED_NUMBER"
    DIAGNOSIS = "DIAGNOSIS"
    DOSING = "DOSING"
    PRESCRIPTION = "PRESCRIPTION"
    CONTROLLED_DRUG = "CONTROLLED_DRUG"
    GUARANTEE = "GUARANTEE"
    MISSING_APR = "MISSING_APR"
    MISSING_DISCLOSURE = "MISSING_DISCLOSURE"
    MISLEADING_RATE = "MISLEADING_RATE"
    """'Interest-free' / '免息' said of a plan that charges a fee."""
    PII_LEAK = "PII_LEAK"
    MISSED_ESCALATION = "MISSED_ESCALATION"
    FRAUD_ASSIST = "FRAUD_ASSIST"
    TONE = "TONE"
    INJECTION = "INJECTION"
    MISSING_CITATION = "MISSING_CITATION"
    AI_DISCLOSURE = "AI_DISCLOSURE"
    BANNED_PHRASE = "BANNED_PHRASE"
    """A tenant's extra banned phrase appears in the draft."""


class SeverityTable(BaseModel):
    version: int
    severities: dict[ReasonCode, Severity]
    never_overridable: frozenset[ReasonCode] = frozenset()
    """Codes no manager may override when releasing a reply (dose, prescription rules)."""

    @model_validator(mode="after")
    def _every_code_has_a_severity(self) -> SeverityTable:
        missing = set(ReasonCode) - set(self.severities)
        if missing:
            raise ValueError(f"no severity for {sorted(missing)}")
        return self


@lru_cache(maxsize=1)
def severity_table() -> SeverityTable:
    return load_data_file("reason_codes.yaml", SeverityTable)


def severity_of(code: ReasonCode) -> Severity:
    """``hold`` (a human must approve) or ``revise`` (send back to the agent)."""
    return severity_table().severities[code]


def overridable(code: ReasonCode) -> bool:
    """May a health manager explicitly release a reply despite ``code``? Never for doses or
    prescriptions."""
    return code not in severity_table().never_overridable


def verdict_for(codes: list[ReasonCode]) -> Literal["approve", "revise", "hold"]:
    """The strictest outcome the codes call for: no codes approve, any hold code holds."""
    if not codes:
        return "approve"
    return "hold" if any(severity_of(code) == "hold" for code in codes) else "revise"
