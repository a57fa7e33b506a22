"""The review node's deterministic half: its graph state read into the guardrails' turn checks
(``guardrails.checks.turn``), which also combine the verdict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.llm.base import EvidencePassage
from guardrails.checks.models import CheckFinding
from guardrails.checks.turn import combine_review, turn_findings
from guardrails.tenant_policy import TenantPolicy

__all__ = ["combine_review", "deterministic_findings"]


def deterministic_findings(
    state: Mapping[str, Any], evidence: list[EvidencePassage], policy: TenantPolicy
) -> list[CheckFinding]:
    """Every finding of the output checks on ``state["draft"]``, under the tenant's policy."""
    tool_results = [c.get("result", {}) for c in state.get("tool_calls", [])]
    if state.get("urgent_triage"):
        tool_results.append(state["urgent_triage"])  # the instruction's figures (24 hours)
    return turn_findings(
        state.get("draft", ""),
        language=state.get("language", "zh"),
        user_text=state.get("redacted_text", ""),
        escalated=bool(state.get("safety", {}).get("escalated")),
        tool_results=tool_results,
        cards=state.get("cards", []),
        cited_refs=state.get("cited_refs", []),
        evidence=evidence,
        policy=policy,
        curated_text=(state.get("answer_card") or {}).get("answer", ""),
    )
