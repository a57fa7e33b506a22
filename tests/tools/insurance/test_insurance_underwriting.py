"""Underwriting outcomes from health-declaration answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from insurance_factories import by_product, quote

D = Decimal


def test_nothing_declared_is_standard_acceptance() -> None:
    quotes = quote(health_declaration=["无"]).quotes
    assert quotes  # an empty result would pass the loop below
    for q in quotes:
        assert q.underwriting.decision == "accept"
        assert q.underwriting.findings == []


@pytest.mark.parametrize(
    ("declaration", "product", "decision"),
    [
        (["甲状腺结节"], "sl-million-medical", "accept_with_exclusion"),
        (["肥胖"], "sl-million-medical", "loading"),
        (["癌症"], "sl-million-medical", "decline"),
        (["抑郁症"], "sl-million-medical", "refer_manual"),
        (["high cholesterol"], "sl-million-medical", "accept"),
        ([{"condition": "hypertension", "controlled": False}], "sl-million-medical", "decline"),
        (
            [{"condition": "hypertension", "controlled": True}],
            "sl-million-medical",
            "accept_with_exclusion",
        ),
        (["高血壓"], "sl-million-medical", "refer_manual"),  # traditional characters
        (["痛风"], "sl-million-medical", "refer_manual"),  # not in the automatic rules
        (["痛风"], "sl-city-supplementary", "accept"),  # city plan: no health limit
        (["癌症"], "sl-city-supplementary", "accept_with_exclusion"),
    ],
)
def test_decisions(declaration: list[object], product: str, decision: str) -> None:
    q = by_product(quote(health_declaration=declaration))[product]
    assert q.underwriting.decision == decision
    assert q.underwriting.reason_zh and q.underwriting.reason_en


def test_decline_and_referral_have_no_premium() -> None:
    quotes = by_product(quote(health_declaration=["癌症", "抑郁症"]))
    medical = quotes["sl-million-medical"]
    assert medical.underwriting.decision == "decline"  # the most severe finding wins
    assert medical.annual_premium is None and medical.breakdown is None
    assert "暂不能承保" in medical.disclosure_zh
    assert {f.condition for f in medical.underwriting.findings} == {"cancer_history", "depression"}


def test_loadings_add_up_and_past_the_limit_go_to_manual() -> None:
    # CI: obesity 20% + dyslipidaemia 10% = 30% -> 1100 x 1.3 = 1430.00.
    ci = by_product(quote(health_declaration=["肥胖", "高血脂"]))["sl-critical-illness"]
    assert (ci.underwriting.loading_percent, ci.annual_premium) == (D("30"), D("1430.00"))
    # + controlled hypertension 25% = 55% > the 50% automatic limit.
    over = by_product(
        quote(health_declaration=["肥胖", "高血脂", {"condition": "高血压", "controlled": True}])
    )["sl-critical-illness"]
    assert over.underwriting.decision == "refer_manual"
    assert "50" in over.underwriting.reason_en


def test_exclusions_from_underwriting_are_listed_with_the_product_ones() -> None:
    q = by_product(quote(health_declaration=["甲状腺结节"]))["sl-million-medical"]
    sources = {(e.code, e.source) for e in q.exclusions}
    assert ("thyroid", "underwriting") in sources
    assert ("waiting_period_illness", "product") in sources


def test_duplicate_answers_count_once() -> None:
    ci = by_product(quote(health_declaration=["肥胖", "obesity"]))["sl-critical-illness"]
    assert ci.underwriting.loading_percent == D("20")
