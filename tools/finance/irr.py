"""Annualised rate by the internal-rate-of-return method.

The monthly IRR ``r`` solves ``sum(cf_t / (1 + r) ** t) == 0`` over the borrower's own cash
flows (amount received at t0, then each instalment). The APR shown to the patient is the
nominal annualisation ``12 * r`` (the 年化利率 that Chinese disclosure practice quotes); the
effective annual rate ``(1 + r) ** 12 - 1`` is given alongside.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

_TOLERANCE = Decimal("1e-20")
_MAX_ITERATIONS = 200


def _npv_and_slope(rate: Decimal, cash_flows: list[Decimal]) -> tuple[Decimal, Decimal]:
    discount = 1 / (1 + rate)
    npv = Decimal(0)
    slope = Decimal(0)
    factor = Decimal(1)
    for t, flow in enumerate(cash_flows):
        npv += flow * factor
        slope -= t * flow * factor * discount
        factor *= discount
    return npv, slope


def monthly_irr(cash_flows: list[Decimal]) -> Decimal:
    """IRR per period of a borrowing: one outflow to the borrower at t0, then repayments.

    NPV is strictly decreasing in the rate for such flows, so the root is unique. Newton's
    method is used while it stays inside a bisection bracket; otherwise the bracket is halved.
    """
    if not cash_flows or cash_flows[0] >= 0 or any(flow < 0 for flow in cash_flows[1:]):
        raise ValueError("expected one negative cash flow at t0 followed by repayments")
    total = sum(cash_flows)
    if total < 0:
        raise ValueError("repayments are less than the amount received")
    if total == 0:
        return Decimal(0)  # a product that costs nothing
    with localcontext() as decimal_context:
        decimal_context.prec = 40
        low, high = Decimal(0), Decimal(1)
        # 100% a month brackets any real product; heavy upfront fees can exceed it, so widen
        # the bracket until NPV changes sign (the cap filters such products out later).
        for _ in range(64):
            if _npv_and_slope(high, cash_flows)[0] < 0:
                break
            low, high = high, high * 2
        rate = (low + high) / 2 if low > 0 else Decimal("0.01")
        for _ in range(_MAX_ITERATIONS):
            npv, slope = _npv_and_slope(rate, cash_flows)
            if abs(npv) < _TOLERANCE:
                break
            if npv > 0:
                low = rate
            else:
                high = rate
            step = rate - npv / slope if slope != 0 else (low + high) / 2
            rate = step if low < step < high else (low + high) / 2
            if high - low < _TOLERANCE:
                break
        return +rate


def annualise(monthly_rate: Decimal) -> tuple[Decimal, Decimal]:
    """(APR = 12 x monthly rate, effective annual rate = (1 + r)^12 - 1), to 8 decimals."""
    quantum = Decimal("0.00000001")
    apr = (monthly_rate * 12).quantize(quantum)
    effective = ((1 + monthly_rate) ** 12 - 1).quantize(quantum)
    return apr, effective
