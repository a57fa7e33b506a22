"""Premiums against hand computation from the default catalogue's tables."""

from __future__ import annotations

from decimal import Decimal

from insurance_factories import WEARABLE_CONSENT, by_product, quote

D = Decimal


def test_medical_standard_premium() -> None:
    # Age 45 band 41-50 = 420; tier-3 city 0.95; default deductible 10,000 (x1.0); basic x1.0.
    q = by_product(quote(city_tier=3))["sl-million-medical"]
    assert q.annual_premium == D("399.00")
    assert q.breakdown.age_band == "41-50"
    assert q.deductible == D("10000")


def test_medical_every_relativity() -> None:
    # 420 x smoker 1.2 x tier-1 1.15 x zero deductible 2.2 x plus 1.3 = 1657.656 -> 1657.66.
    result = quote(
        smoker=True,
        city_tier=1,
        deductible="0",
        plan_tier="plus",
        product_ids=["sl-million-medical"],
    )
    (q,) = result.quotes
    assert q.annual_premium == D("1657.66")
    assert [(f.name, f.multiplier) for f in q.breakdown.factors] == [
        ("smoker", D("1.2")),
        ("city_tier", D("1.15")),
        ("deductible", D("2.2")),
        ("plan_tier", D("1.3")),
    ]
    assert q.sum_insured == D("4000000")


def test_critical_illness_uses_sex() -> None:
    # Female 35 band 31-40 = 620; smoker 1.25; 300k tier x3 -> 2325.00. Male same age: 650 x ...
    female = by_product(
        quote(
            age=35, sex="female", smoker=True, plan_tier="300k", product_ids=["sl-critical-illness"]
        )
    )["sl-critical-illness"]
    male = by_product(
        quote(
            age=35, sex="male", smoker=True, plan_tier="300k", product_ids=["sl-critical-illness"]
        )
    )["sl-critical-illness"]
    assert female.annual_premium == D("2325.00")
    assert male.annual_premium == D("2437.50")  # 650 x 1.25 x 3
    assert female.breakdown.age_band == "31-40, female"


def test_underwriting_loading_is_added_to_the_standard_premium() -> None:
    # Male 45: 1100; controlled hypertension +25% = 275 -> 1375.00.
    q = by_product(quote(health_declaration=[{"condition": "高血压", "controlled": True}]))[
        "sl-critical-illness"
    ]
    assert q.underwriting.decision == "loading"
    assert (q.breakdown.underwriting_loading, q.annual_premium) == (D("275.00"), D("1375.00"))


def test_wearable_discount_with_consent() -> None:
    # 11,000 steps over 60 days: CI band -10% of 1100 = -110 -> 1100 + 275 - 110 = 1265.00.
    # Medical band -8% of 399 = -31.92 -> 367.08.
    result = quote(
        city_tier=3,
        health_declaration=[{"condition": "hypertension", "controlled": True}],
        wearable_summary={"avg_daily_steps": 11000, "days_covered": 60},
        consented=WEARABLE_CONSENT,
    )
    quotes = by_product(result)
    assert quotes["sl-critical-illness"].annual_premium == D("1265.00")
    assert quotes["sl-critical-illness"].breakdown.wearable_adjustment == D("-110.00")
    assert quotes["sl-million-medical"].annual_premium == D("367.08")
    note = quotes["sl-critical-illness"].breakdown.wearable_note_en
    assert "renewal" in note and "up or down" in note  # reversible
    assert quotes["sl-city-supplementary"].breakdown.wearable_adjustment == 0  # no bands


def test_wearable_loading_for_low_activity_is_bounded() -> None:
    # CI band below 3,000 steps: +5% of 1100 = 55 -> 1155.00.
    q = by_product(
        quote(
            wearable_summary={"avg_daily_steps": 1200, "days_covered": 45},
            consented=WEARABLE_CONSENT,
        )
    )["sl-critical-illness"]
    assert (q.breakdown.wearable_adjustment_percent, q.annual_premium) == (D("5"), D("1155.00"))


def test_too_little_wearable_data_changes_nothing() -> None:
    q = by_product(
        quote(
            wearable_summary={"avg_daily_steps": 15000, "days_covered": 7},
            consented=WEARABLE_CONSENT,
        )
    )["sl-critical-illness"]
    assert q.annual_premium == D("1100.00")
    assert "30" in q.breakdown.wearable_note_zh


def test_city_supplementary_is_one_price_for_all_ages() -> None:
    for age in (3, 45, 78):
        q = by_product(quote(age=age, smoker=True, city_tier=1))["sl-city-supplementary"]
        assert q.annual_premium == D("89.00")


def test_chronic_plan_for_uncontrolled_diabetes() -> None:
    # Age 60 band 56-65 = 620; smoker 1.1 -> 682.00; uncontrolled diabetes +20% = 136.40.
    q = by_product(
        quote(
            age=60, smoker=True, health_declaration=[{"condition": "糖尿病", "controlled": False}]
        )
    )["sl-diabetes-care"]
    assert q.breakdown.standard_premium == D("682.00")
    assert q.annual_premium == D("818.40")
