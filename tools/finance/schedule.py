"""Repayment schedules for one product, one amount and one term.

Every row is rounded to the fen as it is produced and the last instalment takes whatever
principal is left, so the rows always sum exactly to the totals (no lost or invented fen).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tools.finance.catalogue import DecliningBalancePricing, LenderProduct, OneOffFee
from tools.finance.money import ZERO, to_fen


@dataclass(frozen=True)
class Instalment:
    month: int
    principal: Decimal
    interest: Decimal
    fees: Decimal
    payment: Decimal
    remaining_balance: Decimal


@dataclass(frozen=True)
class Schedule:
    principal: Decimal
    upfront_fees: Decimal
    """Deducted from the amount paid out at drawdown (t0)."""
    regular_payment: Decimal
    """The advertised monthly payment (before any fee added to the first instalment)."""
    rows: tuple[Instalment, ...]

    @property
    def total_repayment(self) -> Decimal:
        return sum((row.payment for row in self.rows), ZERO)

    @property
    def total_interest(self) -> Decimal:
        return sum((row.interest for row in self.rows), ZERO)

    @property
    def total_fees(self) -> Decimal:
        """Fees paid in instalments plus fees deducted at drawdown."""
        return sum((row.fees for row in self.rows), ZERO) + self.upfront_fees

    @property
    def total_cost(self) -> Decimal:
        return self.total_interest + self.total_fees

    @property
    def max_payment(self) -> Decimal:
        return max(row.payment for row in self.rows)

    def cash_flows(self) -> list[Decimal]:
        """Borrower's view: receives principal net of upfront fees, then pays each instalment."""
        return [-(self.principal - self.upfront_fees), *(row.payment for row in self.rows)]


def fee_amount(fee: OneOffFee, principal: Decimal) -> Decimal:
    if fee.amount is not None:
        return to_fen(fee.amount)
    assert fee.rate is not None  # guaranteed by OneOffFee's validator
    return to_fen(principal * fee.rate)


def annuity_payment(principal: Decimal, monthly_rate: Decimal, months: int) -> Decimal:
    """Equal instalment for a declining-balance loan, rounded to the fen."""
    if monthly_rate == 0:
        return to_fen(principal / months)
    return to_fen(principal * monthly_rate / (1 - (1 + monthly_rate) ** -months))


def build_schedule(product: LenderProduct, principal: Decimal, months: int) -> Schedule:
    """Amortise ``principal`` over ``months`` under the product's pricing and one-off fees."""
    principal = to_fen(principal)
    upfront = sum(
        (fee_amount(f, principal) for f in product.one_off_fees if f.timing == "upfront"), ZERO
    )
    first_fee = sum(
        (fee_amount(f, principal) for f in product.one_off_fees if f.timing == "first_instalment"),
        ZERO,
    )
    pricing = product.pricing
    if isinstance(pricing, DecliningBalancePricing):
        monthly_rate = pricing.annual_rate / 12
        regular = annuity_payment(principal, monthly_rate, months)
        monthly_fee = ZERO
    else:
        monthly_rate = ZERO
        monthly_fee = to_fen(principal * pricing.monthly_fee_rate)
        regular = to_fen(principal / months) + monthly_fee

    rows: list[Instalment] = []
    balance = principal
    for month in range(1, months + 1):
        interest = to_fen(balance * monthly_rate)
        fees = monthly_fee + (first_fee if month == 1 else ZERO)
        if month == months:
            principal_part = balance
        else:
            principal_part = min(regular - monthly_fee - interest, balance)
        balance -= principal_part
        payment = principal_part + interest + fees
        rows.append(Instalment(month, principal_part, interest, fees, payment, balance))
    return Schedule(principal, upfront, regular, tuple(rows))
