"""The review node's glue: what it reads from the graph state into the guardrails' checks."""

from __future__ import annotations

from agent.llm.base import EvidencePassage
from agent.nodes.review_checks import deterministic_findings
from guardrails.tenant_policy import neutral_policy

POLICY = neutral_policy("default")


def _codes(**state: object) -> list[str]:
    base: dict[str, object] = {"language": "zh", "redacted_text": "问题"}
    return [f.code.value for f in deterministic_findings({**base, **state}, [], POLICY)]


def test_the_urgent_triage_sources_its_figures() -> None:
    draft = "请在24小时内就医。"
    assert "UNSOURCED_NUMBER" in _codes(draft=draft)
    assert "UNSOURCED_NUMBER" not in _codes(draft=draft, urgent_triage={"within_hours": 24})


def test_tool_results_source_figures_and_safety_marks_an_emergency() -> None:
    calls = [{"name": "compute_payment_plans", "result": {"months": 7}}]
    assert "UNSOURCED_NUMBER" not in _codes(draft="分7期。", tool_calls=calls)
    assert "MISSED_ESCALATION" in _codes(draft="多休息。", safety={"escalated": True})


def test_cited_refs_and_evidence_reach_the_citation_check() -> None:
    passage = EvidencePassage(
        ref=1,
        chunk_id="c1",
        doc_id="d1",
        title="t",
        source="s",
        section="x",
        text="成人每天食盐摄入量不超过5克。",
    )
    draft = "成人每天食盐摄入量不超过5克。"
    state = {"language": "zh", "redacted_text": "盐", "draft": draft}
    missing = deterministic_findings(state, [passage], POLICY)
    assert "MISSING_CITATION" in [f.code.value for f in missing]
    cited = deterministic_findings({**state, "cited_refs": [1]}, [passage], POLICY)
    assert "MISSING_CITATION" not in [f.code.value for f in cited]
