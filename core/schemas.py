"""Public schemas shared by the agent, the API, the CLI and the eval harness (a contract)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

TriageLevel = Literal["emergency", "urgent", "routine", "self_care"]
Verdict = Literal["approve", "revise", "hold"]
CardType = Literal[
    "payment_plan",
    "insurance_quote",
    "triage",
    "referral",
    "task",
    "reading",
    "emergency",
    "exam_report",
]
TURN_LEVEL_ORDER: dict[str, int] = {"self_care": 0, "routine": 1, "urgent": 2, "emergency": 3}


class Citation(BaseModel):
    doc_id: str
    title: str
    source: str
    year: int | None = None
    section: str
    chunk_id: str | None = None


class Card(BaseModel):
    """Structured content shown beside the reply; ``data`` is the producing tool's output."""

    type: CardType
    title: str
    data: dict[str, Any] = Field(default_factory=dict)


class RedFlag(BaseModel):
    code: str
    evidence: str = ""
    source: str = "rules"
    """The layer that fired: ``rules``, ``semantic`` (exemplar match) or ``score`` (NEWS2)."""


class Safety(BaseModel):
    triage_level: TriageLevel | None = None
    red_flags: list[RedFlag] = Field(default_factory=list)
    escalated: bool = False
    crisis: Literal["intent", "distress"] | None = None
    """Suicidal intent, a plan or self-harm (the crisis protocol, escalated), or hopelessness
    without a plan (the direct safety question; the conversation is flagged for a human)."""


class ReviewReason(BaseModel):
    code: str
    message: str = ""


class Review(BaseModel):
    verdict: Verdict = "approve"
    reasons: list[ReviewReason] = Field(default_factory=list)
    revisions: int = 0
    reviewer: str = ""


class ToolCallRecord(BaseModel):
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    ok: bool = True
    error_code: str | None = None


class TurnResult(BaseModel):
    """What one patient turn returns, over HTTP, SSE, the CLI and the eval harness."""

    conversation_id: str
    message_id: str
    client_message_id: str | None = None
    status: Literal["completed", "held"] = "completed"
    language: Literal["zh", "en"] = "zh"
    reply: str
    citations: list[Citation] = Field(default_factory=list)
    cards: list[Card] = Field(default_factory=list)
    safety: Safety = Field(default_factory=Safety)
    review: Review = Field(default_factory=Review)
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    intent: str | None = None
    latency_ms: float | None = None
