"""Bodies of the review-queue API: held drafts, managers' decisions and root-cause labels."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from api.schemas import MessagePublic
from core.schemas import ReviewReason, TurnResult
from guardrails.reason_codes import ReasonCode, overridable

ReviewStatus = Literal["pending", "approved", "edited", "rejected"]
RootCause = Literal["technical", "rule", "data"]
AnswerVerdict = Literal["correct", "unsafe", "unsupported", "unhelpful"]


def _not_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("the reply is blank")
    return value


Reply = Annotated[str, Field(min_length=1, max_length=8000), AfterValidator(_not_blank)]


class ManagerBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    manager: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="Ignored (kept for old clients): the decider is the signed-in manager.",
    )


Override = Annotated[
    ReasonCode,
    WithJsonSchema({"type": "string", "enum": [c.value for c in ReasonCode if overridable(c)]}),
]
"""A reason code a manager may override (the schema lists only those; the service refuses the
others with ``override_not_allowed``)."""


class ReleaseBody(ManagerBody):
    override: list[Override] = Field(
        default_factory=list,
        max_length=len(ReasonCode),
        description="Reason codes of the output checks the manager explicitly releases the "
        "reply despite (audited). DOSING, PRESCRIPTION and CONTROLLED_DRUG can never be "
        "overridden.",
    )


class ReviewApprove(ReleaseBody):
    """Send the held draft as it is (it must pass the output checks)."""


class ReviewEdit(ReleaseBody):
    reply: Reply = Field(description="The reply to send instead (it must pass the checks).")


class ReviewReject(ReleaseBody):
    reply: Reply | None = Field(
        None,
        description="What to tell the patient instead; absent: a standard note that the "
        "health manager will get in touch.",
    )


class ConversationRef(BaseModel):
    id: str
    patient_ref: str
    language: str


class ReviewLabelCreate(ManagerBody):
    root_cause: RootCause
    correct_answer: Reply | None = Field(
        None, description="Absent: the reply the manager sent for this item."
    )
    notes: str = Field("", max_length=4000)


class ReviewLabelPublic(BaseModel):
    review_item_id: str
    root_cause: RootCause
    correct_answer: str
    notes: str
    labelled_by: str
    labelled_at: datetime


class AnswerLabelCreate(ManagerBody):
    verdict: AnswerVerdict
    correct_answer: Reply | None = Field(
        None,
        description="What the answer should have said (optional; for 'correct' the answer "
        "itself is the reference).",
    )
    notes: str = Field("", max_length=4000)


class AnswerLabelPublic(BaseModel):
    message_id: str
    conversation_id: str
    verdict: AnswerVerdict
    correct_answer: str
    notes: str
    labelled_by: str
    labelled_at: datetime


class AnswerLabelsPublic(BaseModel):
    labels: list[AnswerLabelPublic]


class ReviewItemPublic(BaseModel):
    id: str
    tenant_id: str
    status: ReviewStatus
    conversation: ConversationRef
    message_id: str
    """The holding reply the patient saw while the draft waited."""
    question: str
    """The patient's message the draft answers."""
    draft: str
    reasons: list[ReviewReason]
    final_reply: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    created_at: datetime
    label: ReviewLabelPublic | None = None


class ReviewQueuePublic(BaseModel):
    items: list[ReviewItemPublic]


class ReviewDecisionPublic(BaseModel):
    item: ReviewItemPublic
    delivery: Literal["resumed", "manager_message"]
    """``resumed``: the paused turn finished with this reply. ``manager_message``: the patient
    had already moved on, so the reply was delivered as a message from the health manager."""
    message: MessagePublic
    result: TurnResult | None = None
    """The completed turn, when it was resumed."""


class RegressionCase(BaseModel):
    """One labelled item as an eval case in the harness's format (``evals.cases.EvalCase``):
    earlier patient turns for context, then the failing turn with its expectations."""

    id: str
    tags: list[str]
    tenant: str
    turns: list[dict[str, Any]]
    expect: dict[str, Any]
    notes: str = ""
