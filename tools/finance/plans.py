"""Treatment payment plans: the pure computation and the agent tool around it.

Design choices (documented here because callers depend on them):

- Insurance and the down payment are applied first; if they cover everything the result has
  ``nothing_to_finance=True`` and no options — a clear answer, not an error.
- Options whose APR (IRR method) is above the cap are never offered; each is listed in
  ``excluded`` so the patient sees that something was left out and why. The cap is the
  service-wide fact ``finance.apr_cap``; a tenant catalogue may only lower it.
- An option is affordable iff existing monthly debt + its largest instalment <=
  ``finance.affordability.max_debt_ratio`` x monthly income.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from decimal import Decimal

from core.errors import ValidationFailed
from knowledge.facts import fact_value
from tools.finance.catalogue import LenderCatalogue, load_lender_catalogue
from tools.finance.money import format_percent, format_yuan, to_fen
from tools.finance.options import PricedTerm, build_option, eligible_products, price_term
from tools.finance.schemas import (
    AffordabilityBasis,
    ExcludedOption,
    FinancingBreakdown,
    PaymentPlanOption,
    PaymentPlanRequest,
    PaymentPlanResult,
)
from tools.finance.suggestions import build_suggestions
from tools.finance.validation import financing_breakdown, validate_request
from tools.registry import ToolContext, ToolSpec


def _excluded(priced: PricedTerm, catalogue: LenderCatalogue, cap: Decimal) -> ExcludedOption:
    lender = catalogue.lender(priced.product.lender)
    apr, cap_text = format_percent(priced.apr), format_percent(cap)
    return ExcludedOption(
        product_id=priced.product.id,
        lender_name_zh=lender.name_zh,
        lender_name_en=lender.name_en,
        term_months=priced.months,
        apr=priced.apr,
        reason_zh=f"{lender.name_zh}「{priced.product.name_zh}」{priced.months}期方案年化利率"
        f"{apr}，超过{cap_text}上限，不予提供。",
        reason_en=f"{lender.name_en} - {priced.product.name_en}, {priced.months} months: APR "
        f"{apr} is above the {cap_text} cap, so it is not offered.",
    )


def _term_not_offered(term: int, offered: set[int]) -> ValidationFailed:
    listed = ", ".join(str(t) for t in sorted(offered))
    return ValidationFailed(
        f"A {term}-month term is not offered for this amount; available terms: {listed}.",
        message_zh=f"该金额不提供{term}期分期；可选期数：{listed}。",
        code="term_not_offered",
        field="term_months",
    )


def effective_cap(apr_cap: Decimal, catalogue: LenderCatalogue) -> Decimal:
    """The service-wide APR cap, or the tenant catalogue's when it is lower."""
    return min(apr_cap, catalogue.apr_cap) if catalogue.apr_cap is not None else apr_cap


def affordability_basis(request: PaymentPlanRequest, max_debt_ratio: Decimal) -> AffordabilityBasis:
    """What the patient can repay a month: income x ratio - existing debt (may be <= 0)."""
    budget = to_fen(max_debt_ratio * request.monthly_income) - request.existing_monthly_debt
    return AffordabilityBasis(
        monthly_income=request.monthly_income,
        existing_monthly_debt=request.existing_monthly_debt,
        max_debt_ratio=max_debt_ratio,
        monthly_budget=budget,
    )


def priced_terms(
    request: PaymentPlanRequest, catalogue: LenderCatalogue, financed: Decimal
) -> list[PricedTerm]:
    """Every term of every eligible product, priced; a requested term must be among them."""
    products = eligible_products(catalogue, financed, request.product)
    priced = [price_term(p, financed, t) for p in products for t in p.terms]
    offered = {p.months for p in priced}
    if request.term_months is not None and request.term_months not in offered:
        raise _term_not_offered(request.term_months, offered)
    return priced


@dataclass(frozen=True)
class Offer:
    """The options offered (sorted by term, APR, product) and those left out over the cap."""

    options: list[PaymentPlanOption]
    excluded: list[ExcludedOption]


def make_offer(
    wanted: list[PricedTerm],
    request: PaymentPlanRequest,
    catalogue: LenderCatalogue,
    *,
    max_debt_ratio: Decimal,
    cap: Decimal,
) -> Offer:
    income, debt = request.monthly_income, request.existing_monthly_debt
    options = [
        build_option(p, catalogue, income, debt, max_debt_ratio) for p in wanted if p.apr <= cap
    ]
    options.sort(key=lambda o: (o.term_months, o.apr, o.product_id))
    return Offer(options, [_excluded(p, catalogue, cap) for p in wanted if p.apr > cap])


def summaries(
    financed: Decimal, options: list[PaymentPlanOption], max_debt_ratio: Decimal
) -> tuple[str, str]:
    """How many options there are and how many are affordable, in Chinese and English."""
    count = sum(option.affordable for option in options)
    ratio = format_percent(max_debt_ratio, 0)
    return (
        f"需分期{format_yuan(financed)}：共{len(options)}个方案，其中{count}个每月还款"
        f"不超过收入的{ratio}。",
        f"Amount to finance {format_yuan(financed)}: {len(options)} options, {count} "
        f"keep monthly repayments within {ratio} of income.",
    )


def _nothing_to_finance(
    catalogue: LenderCatalogue,
    breakdown: FinancingBreakdown,
    basis: AffordabilityBasis,
    cap: Decimal,
) -> PaymentPlanResult:
    return PaymentPlanResult(
        tenant_id=catalogue.tenant_id,
        catalogue_version=catalogue.version,
        breakdown=breakdown,
        financed_amount=breakdown.financed_amount,
        affordability=basis,
        apr_cap=cap,
        nothing_to_finance=True,
        options=[],
        affordable_any=True,
        summary_zh="医保、商业保险和首付已覆盖全部费用，无需分期。",
        summary_en="Insurance and the down payment cover the whole cost; no instalments needed.",
    )


def compute_payment_plans(
    request: PaymentPlanRequest,
    catalogue: LenderCatalogue,
    *,
    max_debt_ratio: Decimal,
    apr_cap: Decimal,
) -> PaymentPlanResult:
    """Options for financing what insurance and the down payment leave, with APR, total cost,
    affordability and disclosure for each; suggestions when none is affordable."""
    validate_request(request)
    breakdown = financing_breakdown(request)
    cap = effective_cap(apr_cap, catalogue)
    financed = breakdown.financed_amount
    basis = affordability_basis(request, max_debt_ratio)
    if financed == 0:
        return _nothing_to_finance(catalogue, breakdown, basis, cap)
    all_terms = priced_terms(request, catalogue, financed)
    wanted = [p for p in all_terms if request.term_months in (None, p.months)]
    offer = make_offer(wanted, request, catalogue, max_debt_ratio=max_debt_ratio, cap=cap)
    affordable_any = any(option.affordable for option in offer.options)
    under_cap = [p for p in all_terms if p.apr <= cap]
    budget = basis.monthly_budget
    suggestions = (
        []
        if affordable_any
        else build_suggestions(under_cap, financed, budget, max_debt_ratio, cap, catalogue)
    )
    summary_zh, summary_en = summaries(financed, offer.options, max_debt_ratio)
    return PaymentPlanResult(
        tenant_id=catalogue.tenant_id,
        catalogue_version=catalogue.version,
        breakdown=breakdown,
        financed_amount=financed,
        affordability=basis,
        apr_cap=cap,
        nothing_to_finance=False,
        options=offer.options,
        affordable_any=affordable_any,
        excluded=offer.excluded,
        suggestions=suggestions,
        summary_zh=summary_zh,
        summary_en=summary_en,
    )


def payment_plans(args: PaymentPlanRequest, ctx: ToolContext) -> PaymentPlanResult:
    """Work out instalment options for a treatment bill after insurance and any down payment:
    for each term, the monthly payment, full schedule, total cost, true annual rate (APR, IRR
    method), whether it is affordable (all monthly debt <= 30% of income), and a disclosure to
    show the patient. When nothing is affordable it returns suggestions instead of pressure."""
    return compute_payment_plans(
        args,
        load_lender_catalogue(ctx.tenant_id),
        max_debt_ratio=Decimal(str(fact_value("finance.affordability.max_debt_ratio"))),
        apr_cap=Decimal(str(fact_value("finance.apr_cap"))),
    )


payment_plans_tool: ToolSpec[PaymentPlanRequest, PaymentPlanResult] = ToolSpec(
    name="compute_payment_plans",
    description=inspect.getdoc(payment_plans) or "",
    input_model=PaymentPlanRequest,
    output_model=PaymentPlanResult,
    fn=payment_plans,
    card_type="payment_plan",
    record="payment_plan",
)
