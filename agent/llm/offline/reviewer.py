"""The offline reviewer: claim-level grounding of the draft against the evidence.

Each claim (a sentence that states something) must be supported by one retrieved passage
(lexical support above the calibrated threshold in guardrails/data). Fixed texts of the offline
engine (greetings, refusals, disclaimers) are pre-approved. When tools ran, their results are
evidence too. Deterministic checks (numbers, dosing, guarantees, ...) run separately in every
mode; this reviewer stands in for the second model.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from agent.llm.base import ReviewOutcome, ReviewRequest
from agent.llm.offline.templates import texts
from core.schemas import ReviewReason
from guardrails.grounding import is_supported, split_claims
from guardrails.textfold import fold


@lru_cache(maxsize=1)
def _fixed_claims() -> re.Pattern[str]:
    """Claims of the fixed texts; a ``{slot}`` matches any value (values come from tools)."""
    patterns: set[str] = set()
    for entry in texts().values():
        for text in entry.values():
            for claim in split_claims(text):
                pieces = re.split(r"\{[a-z_]+\}", fold(claim))
                patterns.add(".+?".join(re.escape(piece) for piece in pieces))
    return re.compile("|".join(f"(?:{p})" for p in sorted(patterns)))


class OfflineReviewer:
    name = "offline-grounding"

    async def review(self, request: ReviewRequest) -> ReviewOutcome:
        evidence = [p.text for p in request.evidence]
        evidence += [json.dumps(r, ensure_ascii=False, default=str) for r in request.tool_results]
        fixed = _fixed_claims()
        # A matched card's text is curated and reviewed in the repository, like the fixed texts.
        curated = {fold(c) for c in split_claims(request.card.answer)} if request.card else set()
        unsupported = [
            claim
            for claim in split_claims(request.draft)
            if not fixed.fullmatch(fold(claim))
            and fold(claim) not in curated
            and not (request.tool_results and _from_tool(claim))
            and not is_supported(claim, evidence)
        ]
        if not unsupported:
            return ReviewOutcome(verdict="approve", reviewer=self.name)
        zh = request.language == "zh"
        reasons = [
            ReviewReason(
                code="UNSUPPORTED_CLAIM",
                message=(f"没有证据支持：{claim}" if zh else f"Not supported by evidence: {claim}"),
            )
            for claim in unsupported[:5]
        ]
        return ReviewOutcome(
            verdict="revise",
            reasons=reasons,
            feedback="remove or source the unsupported claims",
            reviewer=self.name,
        )


def _from_tool(claim: str) -> bool:
    """Sentences composed from a tool's result; their figures face the number check."""
    return any(ch.isdigit() for ch in claim) or "卡片" in claim or "card" in claim.lower()
