"""Graph state. Only ``messages`` accumulates across turns; every other field is per turn and
is reset by ``ingest_message``. State holds data only (JSON-serialisable), never clients."""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict


class TurnInput(TypedDict):
    """What a caller passes to start a turn."""

    user_text: str
    """The patient's message exactly as received (never logged)."""
    message_id: str
    """Id of the persisted patient message this turn answers."""


class AgentState(TurnInput, total=False):
    messages: Annotated[list[dict[str, Any]], operator.add]
    """Conversation history for the model (ChatMessage dicts): patient texts (redacted) and the
    assistant's final replies. Tool traffic of a turn lives in ``turn_messages``."""
    turn_messages: list[dict[str, Any]]
    """This turn's model/tool exchange (assistant tool calls and tool results)."""
    language: Literal["zh", "en"]
    """Language of the reply, detected from the patient's message."""
    redacted_text: str
    """The patient's message with PII replaced by typed placeholders."""
    pii_kinds: list[str]
    """Kinds of PII found in the message (for the audit trail and the output check)."""
    injection: bool
    """The message tried to override the assistant's instructions."""
    safety: dict[str, Any]
    """core.schemas.Safety as a dict: triage level, red flags, escalated."""
    evidence: list[dict[str, Any]]
    """Retrieved passages (EvidencePassage dicts) with citation numbers."""
    abstained: bool
    """Retrieval found nothing reliable enough to answer from."""
    answer_card: dict[str, Any] | None
    """agent.llm.base.MatchedCard as a dict: the curated answer card the question matched."""
    draft: str
    """The current draft reply (before review)."""
    cited_refs: list[int]
    """Citation numbers the draft relies on."""
    intent: str | None
    """Intent the primary model worked on (offline engine) — for evals and analytics."""
    pending_intent: str | None
    """Set when the assistant asked a clarifying question; read on the next turn."""
    tool_calls: list[dict[str, Any]]
    """ToolCallRecord dicts of this turn, with results, for the audit trail and the reviewer."""
    cards: list[dict[str, Any]]
    """Cards produced by tools this turn."""
    tool_rounds: int
    """Model↔tool round trips so far this turn."""
    fallback: bool
    """The primary model failed and the draft is the safe fallback reply."""
    review: dict[str, Any]
    """core.schemas.Review as a dict."""
    feedback: list[str]
    """Reviewer feedback for the next revision."""
    revisions: int
    """How many times the reviewer sent the draft back this turn."""
    reply: str
    """The final reply the patient sees."""
    status: Literal["completed", "held"]
    """``held`` while a human reviews the draft."""
    active_emergency: dict[str, Any] | None
    """The emergency of an earlier turn ({"reminder", "red_flags"}): every later reply leads
    with its reminder until the patient says it is handled. Carried across turns."""
    ongoing_emergency: bool
    """This turn was answered with the reminder of an emergency still under way."""
    answered_by_guard: bool
    """The guard wrote this turn's reply itself (a clear no to the safety question)."""
    urgent_triage: dict[str, Any] | None
    """The guard's triage result when red flags call for a doctor within 24 hours: the reply
    leads with its instruction (and may state its figures)."""
    dialogue: dict[str, Any]
    """agent.dialogue.DialogueState as a dict: who the conversation is about, their stated
    conditions, the last question that stood on its own. Carried across turns."""
    context_text: str
    """This turn's message as searched: a follow-up with what it leans on (agent.dialogue)."""
    safety_question_asked: bool
    """The last reply asked the direct safety question (hopelessness without a plan); a "yes"
    to it this turn means the crisis protocol. Carried across turns (not reset by ingest)."""
