"""UNSOURCED_NUMBER and the number-equivalence rules, checked against hand-computed values."""

from __future__ import annotations

from typing import Any

import pytest

from guardrails.checks.numbers import chinese_numeral_value, find_numbers, unsourced_numbers


def missing(
    draft: str,
    evidence: list[str] | None = None,
    tools: list[Any] | None = None,
    user_text: str = "",
) -> list[str]:
    found = unsourced_numbers(
        draft, evidence_texts=evidence or [], tool_results=tools or [], user_text=user_text
    )
    return [draft[m.start : m.end] for m in found]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十万", 100_000),
        ("五千", 5_000),
        ("二十", 20),
        ("一百二十", 120),
        ("三千五百", 3_500),
        ("一万五千", 15_000),
        ("两万", 20_000),
        ("三亿五千万", 350_000_000),
    ],
)
def test_chinese_numerals(numeral: str, value: float) -> None:
    assert chinese_numeral_value(numeral) == value


def test_find_numbers_reads_units_percent_and_magnitudes() -> None:
    text = "报销60%，费用10万元，月供4,500.5元，血压140/90，25–30分钟，百分之六十，1.5万"
    assert [(m.value, m.percent) for m in find_numbers(text)] == [
        (60.0, True),
        (100_000.0, False),
        (4_500.5, False),
        (140.0, False),
        (90.0, False),
        (25.0, False),
        (30.0, False),
        (15_000.0, False),
        (60.0, True),
    ]


def test_idioms_are_not_numbers() -> None:
    assert list(find_numbers("十分重要，千万不要自行停药，十二指肠溃疡")) == []


@pytest.mark.parametrize(
    ("draft", "evidence", "tools"),
    [
        ("医保报销60%。", [], [{"coverage": 0.6}]),  # 0.6 ≡ 60%
        ("报销比例0.6。", ["医保报销60%"], []),  # 60% ≡ 0.6
        ("总费用10万元。", [], [{"total": 100000}]),  # 10万 ≡ 100000
        ("总费用100,000元。", ["费用10万元"], []),
        ("总费用十万元。", [], [{"total": 100000.0}]),
        ("年化利率3.59%。", [], [{"plan": {"apr": 0.035912}}]),  # rounded to 2 decimals
        ("年化利率3.6%。", [], [{"apr": 0.035912}]),
        ("总成本105,321.46元。", [], [{"total_cost": 105321.456}]),
        ("约10.5万元。", [], [{"total_cost": 105321.456}]),
        ("收缩压140以上、舒张压90以上。", ["诊断标准为140/90 mmHg"], []),
        ("每周150分钟", [], [{"items": [{"minutes": 150}]}]),  # nested lists walked
        ("目标范围4.4–7.0", ["空腹血糖目标 4.4-7.0 mmol/L"], []),
        ("月供4,500元", [], [{"schedule": ["每月4500元"]}]),  # numbers inside tool strings
    ],
)
def test_equivalent_figures_are_sourced(draft: str, evidence: list[str], tools: list[Any]) -> None:
    assert missing(draft, evidence, tools) == []


@pytest.mark.parametrize(
    ("draft", "tools", "expected"),
    [
        ("年化利率约4%。", [{"apr": 0.035912}], ["4%"]),  # one significant digit: exact only
        ("报销70%。", [{"coverage": 0.6}], ["70%"]),
        ("总费用12万元。", [{"total": 100000}], ["12万"]),
        ("每天服用2次，每次3片。", [], ["2", "3"]),
        ("Your HbA1c target is 6.5%.", [], ["6.5%"]),
        ("一般需要三千元左右。", [], ["三千"]),
    ],
)
def test_unsourced_figures_are_reported(draft: str, tools: list[Any], expected: list[str]) -> None:
    assert missing(draft, [], tools) == expected


def test_list_markers_citations_and_emergency_number_are_ignored() -> None:
    draft = "1. 立即拨打120。\n2、保持安静 [hbp-2023]\n(3) 2型糖尿病患者尤其要注意。"
    assert missing(draft) == []


def test_120_as_a_reading_is_not_the_emergency_number() -> None:
    assert missing("您的血压120/80属于正常。") == ["120", "80"]


def test_patient_figures_need_no_source() -> None:
    assert missing("您说血压是150/95，这偏高。", user_text="我血压150/95") == []


def test_identifier_digits_are_not_figures() -> None:
    assert missing("HbA1c 和 COVID-19 都需要关注。") == []
