"""Bodies of the manager console's API: the live board of a tenant's conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import MessagePublic
from core.schemas import ReviewReason, TriageLevel

BoardFlag = Literal["emergency", "held_answer", "low_confidence", "consent_needed"]


class BoardRowPublic(BaseModel):
    """One conversation as the health manager sees it on the board."""

    conversation_id: str
    patient_id: str
    patient_ref: str
    language: str
    risk_level: TriageLevel | None
    """The highest triage level of the conversation's turns (``None``: never triaged)."""
    last_message: str
    last_role: str
    last_at: datetime
    waiting_s: float
    """Seconds the oldest unanswered patient message (or a held answer) has waited; 0: none."""
    unread: int
    """Patient messages since the last answer the patient got (agent or manager)."""
    flags: list[BoardFlag]
    taken_over_by: str | None = None
    urgency: int = Field(description="Sort key, higher first: flags, risk and waiting time.")


class BoardPublic(BaseModel):
    rows: list[BoardRowPublic]
    generated_at: datetime


class ManagerMessageCreate(BaseModel):
    content: str = Field(min_length=1, max_length=8000, description="What the patient reads.")


class TakeoverPublic(BaseModel):
    """A conversation's takeover state after a step, with the message the patient got."""

    conversation_id: str
    taken_over_by: str | None
    taken_over_at: datetime | None
    message: MessagePublic
    hints: list[ReviewReason] = Field(default_factory=list)
    """The output checks' findings on a manager's message (sent anyway; recorded in the audit)."""


class ManagerMessageHints(BaseModel):
    hints: list[ReviewReason]
    """What the output checks find in the text; empty: nothing to look at again."""


class LearningPublic(BaseModel):
    labelled_cases: int
    """Labelled review items of the tenant: the regression cases ``hm review export`` writes
    for the next eval run."""


class QualityPublic(BaseModel):
    """Today's numbers of the tenant (UTC day), for the console's quality view."""

    day: str
    turns: int
    escalations: int
    held: int
    decided: int
    approval_rate: float | None
    """Approved as drafted / decided today (``None``: nothing decided)."""
    median_decision_s: float | None
    """Median seconds from a held draft to its decision, of today's decisions."""
    labels_by_cause: dict[str, int]
    turns_by_hour: list[int] = Field(description="24 counts, hour 0-23 UTC.")
