"""Schedules and APRs against hand-computed examples."""

from __future__ import annotations

from decimal import Decimal

import pytest
from finance_factories import make_product

from tools.finance.irr import annualise, monthly_irr
from tools.finance.schedule import build_schedule

D = Decimal


def test_declining_balance_12000_at_12_percent_over_12_months() -> None:
    # Annuity: 12000 * 0.01 / (1 - 1.01**-12) = 1066.1855 -> 1066.19 a month.
    product = make_product({"method": "declining_balance", "annual_rate": "0.12"})
    schedule = build_schedule(product, D("12000"), 12)
    assert schedule.regular_payment == D("1066.19")
    first = schedule.rows[0]
    assert (first.interest, first.principal, first.remaining_balance) == (
        D("120.00"),  # 1% of 12000
        D("946.19"),
        D("11053.81"),
    )
    # Month 2 interest: 1% of 11053.81 = 110.5381 -> 110.54.
    assert schedule.rows[1].interest == D("110.54")
    # The last instalment takes the rounding: 11 x 1066.19 + 1066.14 = 12794.23.
    assert schedule.rows[-1].payment == D("1066.14")
    assert schedule.total_repayment == D("12794.23")
    assert schedule.total_interest == D("794.23")
    assert schedule.rows[-1].remaining_balance == 0
    apr, _ = annualise(monthly_irr(schedule.cash_flows()))
    assert abs(apr - D("0.12")) < D("0.00001")  # only fen rounding separates it from 12%


def test_flat_fee_half_percent_a_month_has_an_apr_near_10_9_percent() -> None:
    # 12000 over 12: principal 1000 + fee 60 (0.5% of the ORIGINAL 12000) = 1060 each month.
    # IRR solves 12000 = 1060 * (1 - (1+r)**-12) / r  ->  r = 0.9080%/month (by bisection on
    # paper: factor 11.3267 at 0.90%, 11.3194 at 0.91%, target 11.3208).
    product = make_product({"method": "flat_fee", "monthly_fee_rate": "0.005"})
    schedule = build_schedule(product, D("12000"), 12)
    assert {row.payment for row in schedule.rows} == {D("1060.00")}
    assert schedule.total_interest == 0
    assert schedule.total_fees == D("720.00")
    apr, effective = annualise(monthly_irr(schedule.cash_flows()))
    assert apr == pytest.approx(D("0.108964"), abs=D("0.000001"))
    assert effective == pytest.approx(D("0.114574"), abs=D("0.000001"))
    assert apr > 2 * D("0.06") * D("0.9")  # nearly double the "6% a year" headline


def test_last_instalment_absorbs_rounding() -> None:
    product = make_product({"method": "declining_balance", "annual_rate": "0"})
    schedule = build_schedule(product, D("1000"), 3)
    assert [row.principal for row in schedule.rows] == [D("333.33"), D("333.33"), D("333.34")]
    assert schedule.total_repayment == D("1000.00")
    assert monthly_irr(schedule.cash_flows()) == 0


def test_upfront_fee_is_deducted_at_drawdown_and_counts_in_cost() -> None:
    product = make_product(
        {"method": "flat_fee", "monthly_fee_rate": "0.01"},
        one_off_fees=[
            {
                "id": "svc",
                "name_zh": "服务费",
                "name_en": "service fee",
                "timing": "upfront",
                "rate": "0.02",
            }
        ],
    )
    schedule = build_schedule(product, D("3000"), 3)
    assert schedule.upfront_fees == D("60.00")
    assert schedule.cash_flows()[0] == D("-2940.00")
    assert [row.payment for row in schedule.rows] == [D("1030.00")] * 3
    assert schedule.total_cost == D("150.00")  # 3 x 30 monthly fees + 60 upfront


def test_fee_in_first_instalment() -> None:
    product = make_product(
        {"method": "declining_balance", "annual_rate": "0"},
        one_off_fees=[
            {
                "id": "setup",
                "name_zh": "开户费",
                "name_en": "set-up fee",
                "timing": "first_instalment",
                "amount": "50",
            }
        ],
    )
    schedule = build_schedule(product, D("1200"), 6)
    assert schedule.rows[0].payment == D("250.00")
    assert schedule.rows[0].fees == D("50.00")
    assert schedule.max_payment == D("250.00")
    assert schedule.regular_payment == D("200.00")


def test_irr_of_a_simple_loan() -> None:
    assert monthly_irr([D(-100), D(110)]) == pytest.approx(D("0.1"), abs=D("1e-15"))


@pytest.mark.parametrize("flows", [[], [D(100), D(10)], [D(-100), D(-5), D(200)], [D(-100), D(50)]])
def test_irr_rejects_flows_that_are_not_a_loan(flows: list[Decimal]) -> None:
    with pytest.raises(ValueError):
        monthly_irr(flows)
