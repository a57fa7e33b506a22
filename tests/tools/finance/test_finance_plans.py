"""Payment plans end to end on the shipped catalogues: DOMAIN scenarios, cap, tiers, advice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from finance_factories import CAP, RATIO, make_catalogue, make_product, plans

from tools.finance import PaymentPlanRequest, compute_payment_plans, load_lender_catalogue

D = Decimal
FREE_OF_CHARGE = (
    "免息",
    "0利息",
    "零利息",
    "无利息",
    "interest-free",
    "interest free",
    "no interest",
)


def test_scenario_1_dialysis_plain_split_unaffordable_with_suggestions() -> None:
    """100,000 yuan, 医保 60%, income 5,000: the 12-month split of 40,000 is far above the
    1,500 a month budget (30% of 5,000); the agent shows what would be affordable."""
    result = plans(
        total_cost="100000", insurance_coverage_ratio="0.6", monthly_income="5000", term_months=12
    )
    assert result.breakdown.basic_insurance_amount == D("60000.00")
    assert result.financed_amount == D("40000.00")
    assert result.affordability.monthly_budget == D("1500.00")
    assert result.options and not result.affordable_any
    assert all(o.monthly_payment > 3000 for o in result.options)
    kinds = [s.kind for s in result.suggestions]
    assert kinds[0] == "longer_term" and "assistance" in kinds and kinds[-1] == "health_manager"
    longer = result.suggestions[0]
    # 40,000 over 60 months at 7.2%: 40000 * 0.006 / (1 - 1.006**-60) = 795.83.
    assert (longer.term_months, longer.monthly_payment) == (60, D("795.83"))
    assert "60期" in longer.text_zh and "60 months" in longer.text_en
    assert "smaller_amount" not in kinds  # the longest term already fits the budget


def test_scenario_1_without_a_term_offers_the_affordable_long_terms() -> None:
    result = plans(total_cost="100000", insurance_coverage_ratio="0.6", monthly_income="5000")
    assert result.affordable_any and not result.suggestions
    affordable = {o.term_months for o in result.options if o.affordable}
    assert affordable == {36, 48, 60}  # 24 months: 40000/24 + fees > 1,500
    for option in result.options:
        assert option.affordable == (option.max_monthly_payment <= D("1500"))


def test_low_income_gets_the_largest_affordable_amount() -> None:
    result = plans(total_cost="100000", insurance_coverage_ratio="0.6", monthly_income="2000")
    assert not result.affordable_any
    smaller = next(s for s in result.suggestions if s.kind == "smaller_amount")
    assert smaller.max_affordable_amount is not None
    # Budget 600 a month over 60 months at 7.2%: 600 * (1 - 1.006**-60) / 0.006 = 30,157.
    assert D("30100") < smaller.max_affordable_amount < D("30160")
    catalogue = load_lender_catalogue("default")
    check = plans(
        total_cost=str(smaller.max_affordable_amount),
        monthly_income="2000",
        product=smaller.product_id,
        term_months=60,
    )
    assert check.options[0].affordable
    assert catalogue.version == result.catalogue_version


def test_existing_debt_using_the_whole_budget() -> None:
    result = plans(total_cost="5000", monthly_income="4000", existing_monthly_debt="1300")
    assert result.affordability.monthly_budget == D("-100.00")
    assert not result.affordable_any
    smaller = next(s for s in result.suggestions if s.kind == "smaller_amount")
    assert smaller.max_affordable_amount == 0
    assert "30%" in smaller.text_zh and "30%" in smaller.text_en


def test_scenario_2_the_3_6_percent_plan_discloses_its_real_apr() -> None:
    result = plans(
        total_cost="12000", monthly_income="20000", product="sample-cf-easy36", term_months=12
    )
    (option,) = result.options
    # 1000 principal + 36 fee (0.3% of 12000) = 1036 a month; IRR x 12 = 6.58%.
    assert option.monthly_payment == D("1036.00")
    assert option.total_cost == D("432.00")
    assert option.apr == pytest.approx(D("0.065802"), abs=D("0.000001"))
    assert option.apr > D("0.036") * D("1.8")
    assert "flat_fee_pricing" in option.flags
    assert "6.58%" in option.disclosure_zh and "6.58%" in option.disclosure_en
    assert "¥432.00" in option.disclosure_zh and "¥432.00" in option.disclosure_en
    assert option.early_repayment_zh in option.disclosure_zh
    assert option.early_repayment_en in option.disclosure_en
    text = result.model_dump_json().lower()
    assert not any(word in text for word in FREE_OF_CHARGE)


def test_options_above_the_cap_are_never_offered_and_are_reported() -> None:
    result = plans(total_cost="12000", monthly_income="20000")
    assert all(o.apr <= CAP for o in result.options)
    assert "sample-cf-quick" not in {o.product_id for o in result.options}
    excluded = {(e.product_id, e.term_months) for e in result.excluded}
    assert excluded == {("sample-cf-quick", 3), ("sample-cf-quick", 6), ("sample-cf-quick", 12)}
    assert all(e.apr > CAP and "24.00%" in e.reason_zh for e in result.excluded)


def test_tenant_cap_can_only_lower_the_service_cap() -> None:
    demo = plans(load_lender_catalogue("insurer-demo"), total_cost="12000", monthly_income="9000")
    assert demo.apr_cap == D("0.18")
    loose = make_catalogue(
        make_product({"method": "flat_fee", "monthly_fee_rate": "0.015"}), apr_cap="0.5"
    )
    result = plans(loose, total_cost="12000", monthly_income="9000")
    assert result.apr_cap == CAP and not result.options and result.excluded


def test_micro_tier_for_small_amounts() -> None:
    result = plans(total_cost="800", monthly_income="3000")
    assert {o.product_id for o in result.options} == {"sample-bank-micro"}
    assert all("micro_tier" in o.flags for o in result.options)
    zero_cost = plans(
        load_lender_catalogue("insurer-demo"), total_cost="600", monthly_income="3000"
    )
    assert {o.apr for o in zero_cost.options} == {D("0E-8")}


def test_nothing_to_finance_is_a_clear_result() -> None:
    result = plans(
        total_cost="8000",
        insurance_coverage_amount="5000",
        commercial_insurance_amount="2000",
        down_payment="2500",
        monthly_income="3000",
    )
    assert result.nothing_to_finance and result.options == [] and result.affordable_any
    b = result.breakdown
    assert (b.basic_insurance_amount, b.commercial_insurance_amount, b.down_payment) == (
        D("5000.00"),
        D("2000.00"),
        D("1000.00"),  # capped at what was still owed
    )
    assert b.financed_amount == 0
    assert "无需分期" in result.summary_zh


def test_breakdown_applies_insurance_then_down_payment() -> None:
    result = plans(
        total_cost="50000",
        insurance_coverage_ratio="0.5",
        commercial_insurance_amount="10000",
        down_payment="3000",
        monthly_income="8000",
    )
    b = result.breakdown
    assert b.financed_amount == D("12000.00")
    assert (
        b.basic_insurance_amount
        + b.commercial_insurance_amount
        + b.down_payment
        + (b.financed_amount)
        == b.total_cost
    )


def test_one_product_one_term() -> None:
    result = plans(
        total_cost="12000", monthly_income="8000", product="sample-bank-medical", term_months=24
    )
    (option,) = result.options
    assert (option.product_id, option.term_months, option.lender_name_zh) == (
        "sample-bank-medical",
        24,
        "示例银行",
    )
    assert len(option.schedule) == 24
    assert sum(row.payment for row in option.schedule) == option.total_repayment


def test_every_option_discloses_apr_total_cost_and_early_repayment() -> None:
    for tenant in ("default", "insurer-demo"):
        result = plans(load_lender_catalogue(tenant), total_cost="30000", monthly_income="12000")
        assert result.options, tenant  # an empty result would pass the loop below
        for option in result.options:
            assert "年化利率" in option.disclosure_zh and "APR" in option.disclosure_en
            assert "IRR" in option.disclosure_zh and "IRR" in option.disclosure_en
            assert f"¥{option.total_cost:,.2f}" in option.disclosure_zh
            assert f"¥{option.total_cost:,.2f}" in option.disclosure_en
            assert "提前还款" in option.disclosure_zh and "Early repayment" in option.disclosure_en
        assert not any(word in result.model_dump_json().lower() for word in FREE_OF_CHARGE)


def test_options_are_ordered_by_term_then_apr() -> None:
    result = plans(total_cost="12000", monthly_income="20000")
    keys = [(o.term_months, o.apr) for o in result.options]
    assert keys == sorted(keys)


def test_compute_is_pure_for_equal_inputs() -> None:
    request = PaymentPlanRequest(total_cost=D("20000"), monthly_income=D("6000"))
    catalogue = load_lender_catalogue("default")
    first = compute_payment_plans(request, catalogue, max_debt_ratio=RATIO, apr_cap=CAP)
    second = compute_payment_plans(request, catalogue, max_debt_ratio=RATIO, apr_cap=CAP)
    assert first == second
