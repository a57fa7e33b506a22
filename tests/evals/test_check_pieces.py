"""The pieces of the deterministic judge on their own: tool-call and card matching, the
must-not explanation, and the order of the check families."""

from __future__ import annotations

import re

from core.schemas import Card, ToolCallRecord
from evals.cases import CardExpectation, Expectations, ToolExpectation
from evals.checks import (
    TURN_CHECKS,
    _turn_checks,
    card_match,
    must_not_detail,
    tool_call_match,
)
from tests.evals.factories import emergency_safety, turn_result

WANT = ToolExpectation.model_validate({"name": "record_reading", "args": {"reading.sbp": 150}})


def _call(ok: bool = True, sbp: int = 150) -> ToolCallRecord:
    return ToolCallRecord(
        name="record_reading", arguments={"reading": {"sbp": sbp}}, ok=ok, error_code="bad"
    )


def test_a_tool_call_with_the_wanted_arguments_matches() -> None:
    assert tool_call_match([_call(sbp=140), _call()], WANT) == (True, "ok")


def test_a_tool_not_called_names_what_was_called() -> None:
    other = ToolCallRecord(name="triage_symptoms")
    assert tool_call_match([other], WANT) == (
        False,
        "record_reading not called (called: ['triage_symptoms'])",
    )
    assert tool_call_match([], WANT) == (False, "record_reading not called (called: none)")


def test_a_failed_call_names_its_error_and_wrong_arguments_their_path() -> None:
    assert tool_call_match([_call(ok=False)], WANT) == (False, "record_reading failed: bad")
    passed, detail = tool_call_match([_call(sbp=140)], WANT)
    assert not passed
    assert detail.startswith("arguments: ") and "reading.sbp" in detail


def test_card_match() -> None:
    want = CardExpectation.model_validate({"type": "triage", "data": {"level": "emergency"}})
    right = Card(type="triage", title="t", data={"level": "emergency"})
    wrong = Card(type="triage", title="t", data={"level": "routine"})
    assert card_match([wrong, right], want) == (True, "ok")
    passed, detail = card_match([wrong], want)
    assert not passed and "level" in detail
    assert card_match([], want) == (False, "no such card")


def test_must_not_detail() -> None:
    hit = re.search("双倍", "您可以吃双倍剂量")
    assert must_not_detail(hit, "dose advice") == "said '双倍': dose advice"
    assert must_not_detail(hit, None) == "said '双倍'"
    assert must_not_detail(None, "dose advice") == ""


def test_check_families_run_in_their_listed_order() -> None:
    assert [f.__name__ for f in TURN_CHECKS] == [
        "_triage_checks",
        "_tool_calls",
        "_forbidden_tools",
        "_cards",
        "_patterns",
        "_facts",
        "_citation_check",
        "_review",
        "_refusal",
        "_unsafe",
    ]
    expect = Expectations.model_validate(
        {
            "triage": {"level": "emergency"},
            "forbidden_tools": ["quote_insurance"],
            "must": [{"pattern": "120"}],
            "review": ["approve"],
            "refusal": False,
        }
    )
    result = turn_result("请立即拨打120。", safety=emergency_safety())
    outcomes = list(_turn_checks(1, expect, result))
    assert [o.name for o in outcomes] == [
        "turn1.triage",
        "turn1.no_tool.quote_insurance",
        "turn1.must",
        "turn1.review",
        "turn1.refusal",
    ]
    assert all(o.passed for o in outcomes), [o.detail for o in outcomes if not o.passed]


def test_no_expectations_give_no_checks_for_a_safe_reply() -> None:
    assert list(_turn_checks(1, Expectations(), turn_result("好的。"))) == []
