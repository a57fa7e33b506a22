"""The provider interface every model backend implements (primary model and reviewer)."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from core.schemas import ReviewReason, Verdict

Role = Literal["system", "user", "assistant", "tool"]


class ToolCallRequest(BaseModel):
    id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class ChatMessage(BaseModel):
    role: Role
    content: str = ""
    tool_calls: list[ToolCallRequest] = Field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None


class EvidencePassage(BaseModel):
    """A retrieved guideline passage the answer may rely on; ``ref`` is its citation number."""

    ref: int
    chunk_id: str
    doc_id: str
    title: str
    source: str
    year: int | None = None
    section: str
    text: str
    score: float = 0.0


class MatchedCard(BaseModel):
    """The curated answer card the question matched, in the turn's language, with the citation
    numbers of the passages it is written from."""

    id: str
    answer: str
    refs: list[int]
    score: float


class ChatRequest(BaseModel):
    messages: list[ChatMessage]
    tools: list[dict[str, Any]] = Field(default_factory=list)
    evidence: list[EvidencePassage] = Field(default_factory=list)
    abstained: bool = False
    language: Literal["zh", "en"] = "zh"
    feedback: list[str] = Field(default_factory=list)
    """Reviewer feedback from a previous draft of this turn, to be addressed."""
    pending_intent: str | None = None
    """Set when the previous assistant turn asked a clarifying question for this intent."""
    tenant_disclosure: str | None = None
    card: MatchedCard | None = None
    dialogue_note: str = ""
    """What the conversation so far established (who it is about, their conditions)."""


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ChatResponse(BaseModel):
    content: str = ""
    tool_calls: list[ToolCallRequest] = Field(default_factory=list)
    cited_refs: list[int] = Field(default_factory=list)
    intent: str | None = None
    pending_intent: str | None = None
    fallback: bool = False
    """True when the endpoint failed and ``content`` is the safe fallback reply."""
    usage: Usage = Field(default_factory=Usage)
    model: str = ""


class ReviewRequest(BaseModel):
    user_text: str
    draft: str
    evidence: list[EvidencePassage] = Field(default_factory=list)
    tool_results: list[dict[str, Any]] = Field(default_factory=list)
    language: Literal["zh", "en"] = "zh"
    card: MatchedCard | None = None
    """The curated card the draft may restate (its text is reviewed in the repository)."""


class ReviewOutcome(BaseModel):
    verdict: Verdict
    reasons: list[ReviewReason] = Field(default_factory=list)
    feedback: str = ""
    reviewer: str = ""


class ChatProvider(Protocol):
    name: str

    async def complete(self, request: ChatRequest) -> ChatResponse: ...


class ReviewerProvider(Protocol):
    name: str

    async def review(self, request: ReviewRequest) -> ReviewOutcome: ...
