"""What the output checks take (the turn's context) and what they return (findings)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from guardrails.pii import PiiKind
from guardrails.reason_codes import ReasonCode


class CheckFinding(BaseModel):
    """One problem in a draft: the reason code, a message for the reviser, and where it is."""

    model_config = ConfigDict(frozen=True)

    code: ReasonCode
    message: str
    span: tuple[int, int] | None = None
    """Offsets in the draft, when the problem is a piece of text (not a missing one)."""
    evidence: str = ""
    """The offending text (a placeholder for PII, never the value)."""


class OutputCheckContext(BaseModel):
    """Facts about the turn that decide which checks apply and what is allowed."""

    user_text: str = ""
    """The patient's own message: figures and conditions they stated need no source."""
    known_conditions: list[str] = Field(default_factory=list)
    """Conditions on the patient's record (restating them is not a diagnosis)."""
    is_emergency: bool = False
    """The input guards found an emergency: the draft must tell the patient to call 120 / go to
    the emergency department."""
    payment_plan_shown: bool = False
    plan_has_fee: bool = False
    """The plan charges a fee: calling it interest-free / 免息 is misleading."""
    quote_shown: bool = False
    insurer_name: str | None = None
    card_disclosures: list[str] = Field(default_factory=list)
    """Disclosure text carried by the cards shown with the reply."""
    require_ai_disclosure: bool = False
    require_citations: bool = False
    """Evidence was used, so the draft must cite at least one source."""
    cited_passages: dict[str, str] = Field(default_factory=dict)
    """Citation id -> passage text, to check that a cited passage supports its sentence."""
    curated_text: str = ""
    """The matched answer card's text, reviewed in the repository: its sentences restate their
    cited documents in other words and need no lexical support (their numbers still do)."""
    allowed_pii_kinds: set[PiiKind] = Field(default_factory=set)
    allowed_pii_values: list[str] = Field(default_factory=list)
    """Values the reply may carry (a facility's phone number from a referral tool)."""
    required_phrases: list[str] = Field(default_factory=list)
    """Tenant disclosure wording that must appear in the reply or a card disclosure."""
    banned_phrases: list[str] = Field(default_factory=list)
    """Tenant-specific phrases that must never appear."""
