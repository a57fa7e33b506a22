"""review_draft: deterministic checks (always) plus the reviewing model; decide the route."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.llm.base import EvidencePassage, ReviewOutcome, ReviewRequest
from agent.state import AgentState
from core.schemas import Review, ReviewReason
from guardrails.grounding import is_supported, split_claims
from guardrails.output_checks import CheckFinding, OutputCheckContext, run_output_checks
from guardrails.reason_codes import verdict_for

_RANK = {"approve": 0, "revise": 1, "hold": 2}


async def review_draft(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    ctx = runtime.context
    language = state.get("language", "zh")
    draft = state.get("draft", "")
    evidence = [EvidencePassage.model_validate(e) for e in state.get("evidence", [])]
    tool_results = [c.get("result", {}) for c in state.get("tool_calls", [])]
    findings = _deterministic_findings(state, evidence, tool_results)
    outcome: ReviewOutcome | None = None
    if not state.get("fallback"):
        outcome = await ctx.reviewer.review(
            ReviewRequest(
                user_text=state.get("redacted_text", ""),
                draft=draft,
                evidence=evidence,
                tool_results=tool_results,
                language=language,
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
    return {
        "review": review.model_dump(),
        "revisions": revisions,
        "feedback": [f"{r.code}: {r.message}" for r in review.reasons],
    }


def _deterministic_findings(
    state: AgentState, evidence: list[EvidencePassage], tool_results: list[dict[str, Any]]
) -> list[CheckFinding]:
    draft = state.get("draft", "")
    cards = state.get("cards", [])
    card_types = {card["type"] for card in cards}
    disclosures = [
        str(value)
        for card in cards
        for option in [
            card["data"],
            *card["data"].get("options", []),
            *card["data"].get("quotes", []),
        ]
        for key, value in option.items()
        if key.startswith("disclosure")
    ]
    cited = {str(ref) for ref in state.get("cited_refs", [])}
    context = OutputCheckContext(
        user_text=state.get("redacted_text", ""),
        is_emergency=bool(state.get("safety", {}).get("escalated")),
        payment_plan_shown="payment_plan" in card_types,
        quote_shown="insurance_quote" in card_types,
        card_disclosures=disclosures,
        require_citations=_uses_evidence(draft, evidence) and not tool_results,
        cited_passages={str(e.ref): e.text for e in evidence if str(e.ref) in cited},
    )
    return run_output_checks(
        draft,
        evidence_texts=[e.text for e in evidence],
        tool_results=tool_results,
        cited_ids=sorted(cited),
        known_ids={str(e.ref) for e in evidence},
        language=state.get("language", "zh"),
        context=context,
    )


def _uses_evidence(draft: str, evidence: list[EvidencePassage]) -> bool:
    """A draft that states what a passage says must cite it."""
    texts = [e.text for e in evidence]
    return bool(texts) and any(is_supported(claim, texts) for claim in split_claims(draft))


def combine_review(
    findings: list[CheckFinding], outcome: ReviewOutcome | None, *, fallback: bool
) -> Review:
    """The strictest of the deterministic verdict and the model's; a failed endpoint holds."""
    reasons = [ReviewReason(code=f.code.value, message=f.message) for f in findings]
    verdict = verdict_for([f.code for f in findings])
    reviewer = "deterministic"
    if fallback:
        reasons.append(
            ReviewReason(
                code="PROVIDER_UNAVAILABLE", message="primary model failed; fallback reply sent"
            )
        )
        verdict = "hold"
    if outcome is not None:
        reviewer = outcome.reviewer
        reasons += outcome.reasons
        if _RANK[outcome.verdict] > _RANK[verdict]:
            verdict = outcome.verdict
    return Review(verdict=verdict, reasons=reasons, reviewer=reviewer)


def route_after_review(state: AgentState) -> str:
    verdict = state.get("review", {}).get("verdict", "approve")
    if verdict == "approve":
        return "respond"
    if verdict == "revise":
        return "call_model"
    return "human_review"
