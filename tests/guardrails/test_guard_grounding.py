"""Claim splitting, lexical support, and the calibrated threshold stored as data."""

from __future__ import annotations

import pytest

from core.errors import ValidationFailed
from guardrails.grounding import (
    CalibrationExample,
    calibrate_threshold,
    is_supported,
    lexical_support,
    load_calibration_set,
    split_claims,
    support_threshold,
)


def test_split_claims_drops_boilerplate_questions_and_markers() -> None:
    draft = (
        "您好！\n1. 规律运动有助于降低血压[hbp-1]。\n"
        "2. 以上内容仅供参考，请咨询医生。您最近血压怎么样？\n"
        "Walk briskly most days. Consult your doctor. Is that OK?"
    )
    assert split_claims(draft) == ["规律运动有助于降低血压。", "Walk briskly most days."]


def test_split_claims_keeps_decimals_inside_a_sentence() -> None:
    assert split_claims("Your HbA1c of 7.2% is above the usual target.") == [
        "Your HbA1c of 7.2% is above the usual target."
    ]


def test_lexical_support_hand_computed_chinese() -> None:
    # Claim bigrams: 运动 动降 降压 -> 3 features; the passage holds 运动 and 降压 -> 2/3.
    assert lexical_support("运动降压", ["规律运动可以降压"]) == pytest.approx(0.6667, abs=1e-4)


def test_lexical_support_hand_computed_english() -> None:
    # Content words: walking, lowers, blood, pressure -> "walking" and "pressure" found -> 0.5.
    assert lexical_support("Walking lowers blood pressure", ["walking and pressure"]) == 0.5


def test_lexical_support_takes_the_best_single_passage() -> None:
    evidence = ["快走有助于降低血压", "完全无关的内容"]
    assert lexical_support("快走有助于降低血压", evidence) == 1.0
    assert lexical_support("快走有助于降低血压", []) == 0.0
    assert lexical_support("。。", ["任何内容"]) == 0.0


def test_stored_threshold_is_the_calibrated_one() -> None:
    result = calibrate_threshold(load_calibration_set().examples)
    assert result.examples >= 40
    assert result.accuracy >= 0.95
    assert support_threshold() == pytest.approx(result.threshold)


def test_calibration_picks_the_separating_threshold() -> None:
    examples = [
        CalibrationExample(claim="快走降压", evidence="快走降压", supported=True),  # 1.0
        CalibrationExample(claim="喝醋软化血管", evidence="快走降压", supported=False),  # 0.0
    ]
    result = calibrate_threshold(examples)
    assert result.threshold == 0.5
    assert result.accuracy == 1.0


def test_calibration_refuses_an_empty_set() -> None:
    with pytest.raises(ValidationFailed) as info:
        calibrate_threshold([])
    assert info.value.field == "examples"
    assert "at least one" in info.value.message


@pytest.mark.parametrize(
    ("claim", "supported"),
    [
        ("有氧运动有助于降低血压。", True),
        ("游泳会让血压升高。", False),
        ("Brisk walking helps lower blood pressure.", True),
        ("Coffee cures heart failure.", False),
    ],
)
def test_is_supported_against_a_passage(claim: str, supported: bool) -> None:
    passages = [
        "规律的有氧运动，如快走、游泳，有助于降低血压。",
        "Regular physical activity such as brisk walking helps lower blood pressure.",
    ]
    assert is_supported(claim, passages) is supported
