"""review_draft: deterministic checks (always) plus the reviewing model; decide the route.

The tenant's policy shapes the review: its disclosure wording is appended to the draft (and then
required), its banned phrases and PII echo rules feed the output checks. A turn that a triage tool
found to be an emergency is never held or sent back: an unsafe or incomplete draft is replaced by
the emergency instruction at once (the reviewer may never delay an escalation). Every ``revise``
and ``hold`` is handed to ``record_review`` for the learning loop.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.llm.base import EvidencePassage, MatchedCard, ReviewOutcome, ReviewRequest
from agent.nodes.review_checks import combine_review, deterministic_findings
from agent.state import AgentState
from core.schemas import Review, ReviewReason
from guardrails.input_guard import MANAGER_NOTIFIED
from tools.catalog import TRIAGE

__all__ = ["combine_review", "review_draft", "route_after_review"]

log = logging.getLogger(__name__)


async def review_draft(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    ctx = runtime.context
    language = state.get("language", "zh")
    draft = state.get("draft", "")
    cards = _with_triage_card(state)
    if not state.get("fallback"):
        draft = ctx.tenant_policy.with_disclosure(_urgent_first(state, draft), language)
    evidence = [EvidencePassage.model_validate(e) for e in state.get("evidence", [])]
    tool_results = [c.get("result", {}) for c in state.get("tool_calls", [])]
    if state.get("urgent_triage"):
        tool_results.append(state["urgent_triage"])
    findings = await asyncio.to_thread(  # CPU work (numbers, phrases): off the event loop
        deterministic_findings,
        {**state, "draft": draft, "cards": cards},
        evidence,
        ctx.tenant_policy,
    )
    outcome: ReviewOutcome | None = None
    if not state.get("fallback"):
        outcome = await ctx.reviewer.review(
            ReviewRequest(
                user_text=state.get("redacted_text", ""),
                draft=ctx.tenant_policy.without_disclosure(draft, language),
                evidence=evidence,
                tool_results=tool_results,
                language=language,
                card=MatchedCard.model_validate(card)
                if (card := state.get("answer_card"))
                else None,
            )
        )
    review = combine_review(findings, outcome, fallback=state.get("fallback", False))
    revisions = state.get("revisions", 0)
    if review.verdict == "revise":
        if revisions >= ctx.max_revisions:
            review = review.model_copy(update={"verdict": "hold"})
        else:
            revisions += 1
    review = review.model_copy(update={"revisions": revisions})
    advice = emergency_advice(state)
    if advice is not None and review.verdict != "approve":
        await _record(ctx, state, draft, review, evidence)
        draft, review = await _escalate_now(ctx, state, advice, review)
    elif review.verdict != "approve":
        await _record(ctx, state, draft, review, evidence)
    return {
        "cards": cards,
        "draft": draft,
        "review": review.model_dump(),
        "revisions": revisions,
        "feedback": [f"{r.code}: {r.message}" for r in review.reasons],
    }


def _with_triage_card(state: AgentState) -> list[dict[str, Any]]:
    """The turn's cards, with the guard's urgent triage shown as a card when no triage tool
    result is (the 24-hour instruction that leads the reply is that card's)."""
    cards = list(state.get("cards", []))
    triage = state.get("urgent_triage")
    if triage and not any(card.get("type") == "triage" for card in cards):
        title = (
            "24小时内就医"
            if state.get("language", "zh") == "zh"
            else "See a doctor within 24 hours"
        )
        cards.append({"type": "triage", "title": title, "data": triage})
    return cards


def _urgent_first(state: AgentState, draft: str) -> str:
    """A draft leads with the reminder of an emergency still under way, or, for a message with
    urgent red flags, with the 24-hour instruction."""
    active = state.get("active_emergency") or {}
    triage = state.get("urgent_triage") or {}
    lead = active.get("reminder") or (triage.get("advice_steps") or [None])[0]
    if not lead or lead in draft:
        return draft
    return f"{lead}\n\n{draft}" if draft else str(lead)


def emergency_advice(state: AgentState) -> str | None:
    """The advice of a triage tool call this turn that found an emergency, if any."""
    for call in state.get("tool_calls", []):
        result = call.get("result") or {}
        found = call.get("name") == TRIAGE and result.get("level") == "emergency"
        if found and call.get("ok", True) and result.get("advice"):
            return str(result["advice"])
    return None


async def _escalate_now(
    ctx: AgentContext, state: AgentState, advice: str, review: Review
) -> tuple[str, Review]:
    """Replace a draft the reviewer would hold or send back with the emergency instruction."""
    language = state.get("language", "zh")
    bypass = ReviewReason(
        code="ESCALATION_BYPASS",
        message=f"emergency: reviewer verdict {review.verdict} overridden, 120 instruction sent",
    )
    try:
        await ctx.emit(
            "alert",
            {"kind": "emergency", "message_id": state["message_id"], "source": "triage_tool"},
        )
    except Exception:  # an alert failure must never delay the 120 instruction
        log.exception("manager alert could not be published")
    reply = f"{advice}\n\n{MANAGER_NOTIFIED[language]}"
    return reply, Review(
        verdict="approve",
        reasons=[bypass, *review.reasons],
        revisions=review.revisions,
        reviewer="escalation",
    )


async def _record(
    ctx: AgentContext,
    state: AgentState,
    draft: str,
    review: Review,
    evidence: list[EvidencePassage],
) -> None:
    """Hand one revise/hold record to the learning loop; a failure never stops the turn."""
    record = {
        "message_id": state["message_id"],
        "verdict": review.verdict,
        "reasons": [r.model_dump() for r in review.reasons],
        "draft": draft,
        "user_text": state.get("redacted_text", ""),
        "evidence_ids": [e.chunk_id for e in evidence],
        "tools": [c.get("name", "") for c in state.get("tool_calls", [])],
        "revision": review.revisions,
        "reviewer": review.reviewer,
    }
    try:
        await ctx.record_review(record)
    except Exception:
        log.exception("review record could not be stored")


def route_after_review(state: AgentState) -> Literal["respond", "call_model", "human_review"]:
    verdict = state.get("review", {}).get("verdict", "approve")
    if verdict == "approve":
        return "respond"
    if verdict == "revise":
        return "call_model"
    return "human_review"
