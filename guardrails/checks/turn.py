"""The deterministic review of one turn: every output check on the draft, under the tenant's
policy, plus the request-aware checks; and the verdict combined with a reviewing model's.

The agent's review node and a manager's reply both go through ``turn_findings``; the node only
reads its graph state into the arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from core.schemas import Review, ReviewReason, Verdict
from core.text import Language
from guardrails.checks.models import CheckFinding, OutputCheckContext
from guardrails.checks.requests import is_procedural, request_findings
from guardrails.grounding import is_supported, split_claims
from guardrails.output_checks import run_output_checks
from guardrails.reason_codes import verdict_for
from guardrails.tenant_policy import TenantPolicy

_RANK: dict[Verdict, int] = {"approve": 0, "revise": 1, "hold": 2}


class Passage(Protocol):
    """A retrieved passage the draft may rely on; ``ref`` is the number it is cited by."""

    @property
    def ref(self) -> int: ...

    @property
    def text(self) -> str: ...


class ModelReview(Protocol):
    """What a reviewing model concluded."""

    @property
    def verdict(self) -> Verdict: ...

    @property
    def reasons(self) -> list[ReviewReason]: ...

    @property
    def reviewer(self) -> str: ...


def turn_findings(
    draft: str,
    *,
    language: Language,
    user_text: str,
    escalated: bool,
    tool_results: list[dict[str, Any]],
    cards: list[dict[str, Any]],
    cited_refs: Sequence[object],
    evidence: Sequence[Passage],
    policy: TenantPolicy,
    curated_text: str = "",
) -> list[CheckFinding]:
    """Every finding of the output and request checks on ``draft``, under ``policy``.

    ``tool_results``: this turn's tool outputs (and the guard's urgent triage); ``cards``: the
    cards shown with the reply (their disclosures count as said); ``cited_refs``: the passage
    numbers the draft cites; ``user_text``: the patient's message, redacted; ``curated_text``:
    the matched answer card's text (reviewed in the repository).
    """
    card_types = {card["type"] for card in cards}
    cited = {str(ref) for ref in cited_refs}
    context = OutputCheckContext(
        user_text=user_text,
        is_emergency=escalated,
        payment_plan_shown="payment_plan" in card_types,
        quote_shown="insurance_quote" in card_types,
        card_disclosures=card_disclosures(cards),
        require_citations=uses_evidence(draft, evidence) and not tool_results,
        cited_passages={str(e.ref): e.text for e in evidence if str(e.ref) in cited},
        curated_text=curated_text,
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
    return findings + request_findings(user_text, draft, [e.text for e in evidence], language)


def card_disclosures(cards: list[dict[str, Any]]) -> list[str]:
    """The disclosure texts a card carries: its own, its options' and its quotes'."""
    return [
        str(value)
        for card in cards
        for option in _parts(card["data"])
        for key, value in option.items()
        if key.startswith("disclosure")
    ]


def _parts(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [data, *data.get("options", []), *data.get("quotes", [])]


def uses_evidence(draft: str, evidence: Sequence[Passage]) -> bool:
    """A draft that states what a passage says must cite it (routing and abstention
    sentences state nothing)."""
    texts = [e.text for e in evidence]
    claims = [claim for claim in split_claims(draft) if not is_procedural(claim)]
    return bool(texts) and any(is_supported(claim, texts) for claim in claims)


def combine_review(
    findings: list[CheckFinding], outcome: ModelReview | None, *, fallback: bool
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
