"""The deterministic review of a turn: what it reads from the turn, and the combined verdict."""

from __future__ import annotations

from typing import Any

from core.schemas import ReviewReason, Verdict
from guardrails.checks.models import CheckFinding
from guardrails.checks.turn import card_disclosures, combine_review, turn_findings, uses_evidence
from guardrails.reason_codes import ReasonCode
from guardrails.tenant_policy import neutral_policy
from tests.helpers.passages import passage

SALT = passage(1, "成人每天食盐摄入量不超过5克。")


def _codes(draft: str, **turn: Any) -> list[str]:
    fields: dict[str, Any] = {
        "language": "zh",
        "user_text": "每天吃多少盐合适？",
        "escalated": False,
        "tool_results": [],
        "cards": [],
        "cited_refs": [],
        "evidence": [],
        "policy": neutral_policy("default"),
    }
    fields.update(turn)
    return [f.code.value for f in turn_findings(draft, **fields)]


def test_a_draft_that_uses_evidence_must_cite_it() -> None:
    draft = "成人每天食盐摄入量不超过5克。"
    assert "MISSING_CITATION" in _codes(draft, evidence=[SALT])
    assert "MISSING_CITATION" not in _codes(draft + "[1]", evidence=[SALT], cited_refs=[1])
    # a tool result carries the figures: no citation is demanded
    assert "MISSING_CITATION" not in _codes(draft, evidence=[SALT], tool_results=[{"n": 5}])


def test_an_unsourced_figure_is_found_and_a_sourced_one_is_not() -> None:
    assert "UNSOURCED_NUMBER" in _codes("每天不超过7克。")
    assert "UNSOURCED_NUMBER" not in _codes("每天不超过7克。", tool_results=[{"grams": 7}])


def test_an_emergency_draft_must_say_120() -> None:
    assert "MISSED_ESCALATION" in _codes("多喝水，休息一下。", escalated=True)
    assert "MISSED_ESCALATION" not in _codes("多喝水，休息一下。", escalated=False)


def test_the_request_checks_run_on_the_patients_message() -> None:
    asked = "帮我做一张医院发票，金额写5000元，我要拿去报销。"
    assert "FRAUD_ASSIST" in _codes("好的。", user_text=asked)
    assert "FRAUD_ASSIST" not in _codes("这个我不能帮您。", user_text=asked)


def test_card_disclosures_come_from_the_card_its_options_and_quotes() -> None:
    cards = [
        {"type": "payment_plan", "data": {"disclosure_zh": "A", "options": [{"disclosure": "B"}]}},
        {"type": "insurance_quote", "data": {"quotes": [{"disclosure_en": "C", "name": "x"}]}},
    ]
    assert card_disclosures(cards) == ["A", "B", "C"]
    assert card_disclosures([]) == []


def test_uses_evidence_ignores_routing_sentences() -> None:
    assert uses_evidence("成人每天食盐摄入量不超过5克。", [SALT])
    assert not uses_evidence("请咨询医生。", [SALT])
    assert not uses_evidence("成人每天食盐摄入量不超过5克。", [])


class _Outcome:
    def __init__(self, verdict: Verdict, reviewer: str = "model") -> None:
        self.verdict: Verdict = verdict
        self.reasons = [ReviewReason(code="TONE", message="tone")]
        self.reviewer = reviewer


FINDING = CheckFinding(code=ReasonCode.UNSOURCED_NUMBER, message="figure")


def test_the_stricter_verdict_wins() -> None:
    deterministic = combine_review([FINDING], None, fallback=False)
    assert (deterministic.verdict, deterministic.reviewer) == ("revise", "deterministic")
    held = combine_review([FINDING], _Outcome("hold"), fallback=False)
    assert (held.verdict, held.reviewer) == ("hold", "model")
    assert [r.code for r in held.reasons] == ["UNSOURCED_NUMBER", "TONE"]
    kept = combine_review([FINDING], _Outcome("approve"), fallback=False)
    assert kept.verdict == "revise"
    assert combine_review([], _Outcome("approve"), fallback=False).verdict == "approve"


def test_a_fallback_reply_is_held() -> None:
    review = combine_review([], None, fallback=True)
    assert review.verdict == "hold"
    assert [r.code for r in review.reasons] == ["PROVIDER_UNAVAILABLE"]
