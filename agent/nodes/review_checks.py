"""The deterministic half of the review: output checks over the turn, and the combined verdict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.llm.base import EvidencePassage, ReviewOutcome
from agent.nodes.review_requests import is_procedural, request_findings
from core.schemas import Review, ReviewReason
from guardrails.grounding import is_supported, split_claims
from guardrails.output_checks import CheckFinding, OutputCheckContext, run_output_checks
from guardrails.reason_codes import verdict_for
from guardrails.tenant_policy import TenantPolicy

_RANK = {"approve": 0, "revise": 1, "hold": 2}


def deterministic_findings(
    state: Mapping[str, Any], evidence: list[EvidencePassage], policy: TenantPolicy
) -> list[CheckFinding]:
    """Every finding of the output checks on ``state["draft"]``, under the tenant's policy."""
    draft = state.get("draft", "")
    language = state.get("language", "zh")
    tool_results = [c.get("result", {}) for c in state.get("tool_calls", [])]
    if state.get("urgent_triage"):
        tool_results.append(state["urgent_triage"])  # the instruction's figures (24 hours)
    cards = state.get("cards", [])
    card_types = {card["type"] for card in cards}
    cited = {str(ref) for ref in state.get("cited_refs", [])}
    context = OutputCheckContext(
        user_text=state.get("redacted_text", ""),
        is_emergency=bool(state.get("safety", {}).get("escalated")),
        payment_plan_shown="payment_plan" in card_types,
        quote_shown="insurance_quote" in card_types,
        card_disclosures=_card_disclosures(cards),
        require_citations=_uses_evidence(draft, evidence) and not tool_results,
        cited_passages={str(e.ref): e.text for e in evidence if str(e.ref) in cited},
        curated_text=(state.get("answer_card") or {}).get("answer", ""),
        require_ai_disclosure=policy.require_ai_disclosure,
        required_phrases=policy.required_phrases(language),
        banned_phrases=list(policy.banned_phrases),
        allowed_pii_kinds=set(policy.pii.echo_kinds),
    )
    findings = run_output_checks(
        draft,
        evidence_texts=[e.text for e in evidence],
        tool_results=tool_results,
        cited_ids=sorted(cited),
        known_ids={str(e.ref) for e in evidence},
        language=language,
        context=context,
    )
    asked = state.get("redacted_text", "")
    return findings + request_findings(asked, draft, [e.text for e in evidence], language)


def _card_disclosures(cards: list[dict[str, Any]]) -> list[str]:
    return [
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


def _uses_evidence(draft: str, evidence: list[EvidencePassage]) -> bool:
    """A draft that states what a passage says must cite it."""
    texts = [e.text for e in evidence]
    claims = [claim for claim in split_claims(draft) if not is_procedural(claim)]
    return bool(texts) and any(is_supported(claim, texts) for claim in claims)


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
