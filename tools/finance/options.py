"""Product eligibility and the priced option for one (product, term)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from core.errors import NotFound, ValidationFailed
from tools.finance.catalogue import FlatFeePricing, LenderCatalogue, LenderProduct
from tools.finance.disclosure import option_disclosure
from tools.finance.irr import annualise, monthly_irr
from tools.finance.money import format_yuan
from tools.finance.schedule import Schedule, build_schedule
from tools.finance.schemas import OptionFlag, PaymentPlanOption, ScheduleRow


@dataclass(frozen=True)
class PricedTerm:
    """A schedule and its rates, before it is checked against the cap and the budget."""

    product: LenderProduct
    months: int
    schedule: Schedule
    apr: Decimal
    effective_annual_rate: Decimal


def fits(product: LenderProduct, amount: Decimal, catalogue: LenderCatalogue) -> bool:
    """Amounts up to the micro threshold go only to micro-tier products, and vice versa."""
    is_micro_amount = amount <= catalogue.micro_tier_max_amount
    in_range = product.min_amount <= amount <= product.max_amount
    return in_range and (product.tier == "micro") == is_micro_amount


def eligible_products(
    catalogue: LenderCatalogue, amount: Decimal, product_id: str | None
) -> list[LenderProduct]:
    if product_id is not None:
        product = next((p for p in catalogue.products if p.id == product_id), None)
        if product is None:
            raise NotFound(
                f"unknown instalment product {product_id!r}",
                message_zh=f"未找到分期产品 {product_id!r}",
                code="unknown_product",
                field="product",
            )
        if not fits(product, amount, catalogue):
            raise ValidationFailed(
                f"{product.name_en} is for amounts from {format_yuan(product.min_amount)} to "
                f"{format_yuan(product.max_amount)} ({product.tier} tier); the amount to finance "
                f"is {format_yuan(amount)}.",
                message_zh=f"「{product.name_zh}」适用金额为{format_yuan(product.min_amount)}至"
                f"{format_yuan(product.max_amount)}；需分期金额为{format_yuan(amount)}。",
                code="amount_out_of_range",
                field="product",
            )
        return [product]
    products = [p for p in catalogue.products if fits(p, amount, catalogue)]
    if not products:
        raise ValidationFailed(
            f"No instalment product covers {format_yuan(amount)}.",
            message_zh=f"没有适用于{format_yuan(amount)}的分期产品。",
            code="amount_out_of_range",
            field="total_cost",
        )
    return products


def price_term(product: LenderProduct, amount: Decimal, months: int) -> PricedTerm:
    schedule = build_schedule(product, amount, months)
    apr, effective = annualise(monthly_irr(schedule.cash_flows()))
    return PricedTerm(product, months, schedule, apr, effective)


def _flags(priced: PricedTerm, affordable: bool) -> list[OptionFlag]:
    product = priced.product
    flags: list[OptionFlag] = []
    if isinstance(product.pricing, FlatFeePricing):
        flags.append("flat_fee_pricing")
    if priced.schedule.upfront_fees:
        flags.append("upfront_fee")
    if any(fee.timing == "first_instalment" for fee in product.one_off_fees):
        flags.append("fee_in_first_instalment")
    if product.tier == "micro":
        flags.append("micro_tier")
    if not affordable:
        flags.append("not_affordable")
    return flags


def build_option(
    priced: PricedTerm,
    catalogue: LenderCatalogue,
    income: Decimal,
    existing_debt: Decimal,
    max_debt_ratio: Decimal,
) -> PaymentPlanOption:
    product, schedule = priced.product, priced.schedule
    lender = catalogue.lender(product.lender)
    burden = existing_debt + schedule.max_payment
    affordable = burden <= max_debt_ratio * income
    disclosure_zh, disclosure_en = option_disclosure(
        product, lender, schedule, priced.months, priced.apr
    )
    return PaymentPlanOption(
        term_months=priced.months,
        product_id=product.id,
        product_name_zh=product.name_zh,
        product_name_en=product.name_en,
        lender_name_zh=lender.name_zh,
        lender_name_en=lender.name_en,
        pricing_method=product.pricing.method,
        financed_amount=schedule.principal,
        monthly_payment=schedule.regular_payment,
        max_monthly_payment=schedule.max_payment,
        upfront_fees=schedule.upfront_fees,
        schedule=[ScheduleRow(**asdict(row)) for row in schedule.rows],
        total_repayment=schedule.total_repayment,
        total_interest=schedule.total_interest,
        total_fees=schedule.total_fees,
        total_cost=schedule.total_cost,
        apr=priced.apr,
        effective_annual_rate=priced.effective_annual_rate,
        affordable=affordable,
        debt_to_income=(burden / income).quantize(Decimal("0.0001")),
        early_repayment_zh=product.early_repayment_zh,
        early_repayment_en=product.early_repayment_en,
        disclosure_zh=disclosure_zh,
        disclosure_en=disclosure_en,
        flags=_flags(priced, affordable),
    )
