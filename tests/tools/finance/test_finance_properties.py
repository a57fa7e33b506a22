"""Property-based checks: exact sums, APR = IRR (numpy-financial), monotone affordability."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy_financial as npf
from finance_factories import make_product, plans
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.finance.irr import annualise, monthly_irr
from tools.finance.schedule import build_schedule

amounts = st.decimals(min_value="100", max_value="500000", places=2)
terms = st.integers(min_value=3, max_value=60)
pricings = st.one_of(
    st.builds(
        lambda r: {"method": "declining_balance", "annual_rate": str(r)},
        st.decimals(min_value="0", max_value="0.36", places=4),
    ),
    st.builds(
        lambda r: {"method": "flat_fee", "monthly_fee_rate": str(r)},
        st.decimals(min_value="0", max_value="0.03", places=4),
    ),
)
fees = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(["a", "b"]),
            "name_zh": st.just("费用"),
            "name_en": st.just("fee"),
            "timing": st.sampled_from(["upfront", "first_instalment"]),
            "amount": st.decimals(min_value="0", max_value="80", places=2).map(str),
        }
    ),
    max_size=2,
)


@settings(max_examples=150, deadline=None)
@given(amounts, terms, pricings, fees)
def test_schedule_sums_exactly(
    amount: Decimal, months: int, pricing: dict[str, Any], fee_list: list[dict[str, Any]]
) -> None:
    schedule = build_schedule(make_product(pricing, one_off_fees=fee_list), amount, months)
    rows = schedule.rows
    assert len(rows) == months
    assert sum(row.payment for row in rows) == schedule.total_repayment
    assert sum(row.principal for row in rows) == amount
    assert rows[-1].remaining_balance == 0
    for row in rows:
        assert row.payment == row.principal + row.interest + row.fees
        assert min(row.principal, row.interest, row.fees) >= 0
        assert row.payment == row.payment.quantize(Decimal("0.01"))  # whole fen
    assert schedule.total_cost == schedule.total_repayment - amount + schedule.upfront_fees


@settings(max_examples=150, deadline=None)
@given(amounts, terms, pricings, fees)
def test_apr_is_twelve_times_the_numpy_financial_irr(
    amount: Decimal, months: int, pricing: dict[str, Any], fee_list: list[dict[str, Any]]
) -> None:
    schedule = build_schedule(make_product(pricing, one_off_fees=fee_list), amount, months)
    if schedule.upfront_fees >= amount:
        return  # nothing would be paid out; not a loan
    apr, effective = annualise(monthly_irr(schedule.cash_flows()))
    reference = float(npf.irr([float(flow) for flow in schedule.cash_flows()]))
    assert abs(float(apr) - 12 * reference) < 1e-6
    assert abs(float(effective) - ((1 + reference) ** 12 - 1)) < 1e-6


@settings(max_examples=40, deadline=None)
@given(
    st.decimals(min_value="1500", max_value="300000", places=0),
    st.decimals(min_value="500", max_value="40000", places=0),
    st.decimals(min_value="1", max_value="20000", places=0),
    st.decimals(min_value="0", max_value="3000", places=0),
)
def test_affordability_is_monotone_in_income(
    cost: Decimal, income: Decimal, raise_by: Decimal, debt: Decimal
) -> None:
    low = plans(total_cost=cost, monthly_income=income, existing_monthly_debt=debt)
    high = plans(total_cost=cost, monthly_income=income + raise_by, existing_monthly_debt=debt)
    affordable_low = {(o.product_id, o.term_months) for o in low.options if o.affordable}
    affordable_high = {(o.product_id, o.term_months) for o in high.options if o.affordable}
    assert affordable_low <= affordable_high
    assert not low.affordable_any or high.affordable_any


def test_irr_above_one_hundred_percent_a_month_is_found() -> None:
    """Regression: a 70.84 upfront fee on 100 over 3 months has a monthly IRR just over 100%."""
    from decimal import Decimal

    from tools.finance.irr import monthly_irr

    flows = [Decimal("-29.16"), Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    reference = npf.irr([float(flow) for flow in flows])
    assert abs(float(monthly_irr(flows)) - reference) < 1e-9
