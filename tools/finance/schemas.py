"""Input and output models of the payment-plan tool (amounts in yuan, rates as decimals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from core.bounds import Amount, Ratio

OptionFlag = Literal[
    "flat_fee_pricing",
    "upfront_fee",
    "fee_in_first_instalment",
    "micro_tier",
    "not_affordable",
]
SuggestionKind = Literal["longer_term", "smaller_amount", "assistance", "health_manager"]


class PaymentPlanRequest(BaseModel):
    """What the patient must pay and can afford. Domain rules are checked by the tool itself
    so that every violation gets a stable code and a message in Chinese and English."""

    total_cost: Amount = Field(description="treatment cost in yuan, > 0")
    insurance_coverage_ratio: Ratio | None = Field(
        default=None,
        description="share paid by basic medical insurance (医保), 0..1",
    )
    insurance_coverage_amount: Amount | None = Field(
        default=None, description="amount paid by basic medical insurance, yuan"
    )
    commercial_insurance_amount: Amount | None = Field(
        default=None, description="amount paid by commercial insurance, yuan"
    )
    down_payment: Amount | None = Field(default=None, description="paid now by the patient")
    monthly_income: Amount = Field(description="net monthly income in yuan, > 0")
    existing_monthly_debt: Amount = Field(default=Decimal(0), description="current repayments")
    term_months: int | None = Field(
        default=None, ge=-1200, le=1200, description="only this term (3-60) if given"
    )
    product: str | None = Field(
        default=None, max_length=64, description="lender product id from the catalogue"
    )


class FinancingBreakdown(BaseModel):
    """How the financed amount was reached; the parts always add up to ``total_cost``."""

    total_cost: Decimal
    basic_insurance_amount: Decimal
    commercial_insurance_amount: Decimal
    down_payment: Decimal
    financed_amount: Decimal


class ScheduleRow(BaseModel):
    month: int
    principal: Decimal
    interest: Decimal
    fees: Decimal
    payment: Decimal
    remaining_balance: Decimal


class PaymentPlanOption(BaseModel):
    term_months: int
    product_id: str
    product_name_zh: str
    product_name_en: str
    lender_name_zh: str
    lender_name_en: str
    pricing_method: Literal["declining_balance", "flat_fee"]
    financed_amount: Decimal
    monthly_payment: Decimal = Field(description="the regular instalment")
    max_monthly_payment: Decimal = Field(description="the largest instalment (first may add fees)")
    upfront_fees: Decimal = Field(description="deducted from the amount paid out")
    schedule: list[ScheduleRow]
    total_repayment: Decimal = Field(description="sum of all instalments")
    total_interest: Decimal
    total_fees: Decimal
    total_cost: Decimal = Field(description="interest + all fees")
    apr: Decimal = Field(description="12 x monthly IRR of the option's cash flows")
    effective_annual_rate: Decimal = Field(description="(1 + monthly IRR)^12 - 1")
    affordable: bool
    debt_to_income: Decimal = Field(description="(existing debt + max instalment) / income")
    early_repayment_zh: str
    early_repayment_en: str
    disclosure_zh: str
    disclosure_en: str
    flags: list[OptionFlag] = []


class ExcludedOption(BaseModel):
    """An option never offered because its APR is above the cap."""

    product_id: str
    lender_name_zh: str
    lender_name_en: str
    term_months: int
    apr: Decimal
    reason_zh: str
    reason_en: str


class Suggestion(BaseModel):
    kind: SuggestionKind
    text_zh: str
    text_en: str
    product_id: str | None = None
    term_months: int | None = None
    monthly_payment: Decimal | None = None
    max_affordable_amount: Decimal | None = None


class AffordabilityBasis(BaseModel):
    monthly_income: Decimal
    existing_monthly_debt: Decimal
    max_debt_ratio: Decimal
    monthly_budget: Decimal = Field(description="income x ratio - existing debt (may be <= 0)")


class PaymentPlanResult(BaseModel):
    tenant_id: str
    catalogue_version: int
    breakdown: FinancingBreakdown
    financed_amount: Decimal
    nothing_to_finance: bool = Field(description="insurance and down payment cover everything")
    options: list[PaymentPlanOption]
    affordable_any: bool
    affordability: AffordabilityBasis
    apr_cap: Decimal
    excluded: list[ExcludedOption] = []
    suggestions: list[Suggestion] = []
    summary_zh: str
    summary_en: str
