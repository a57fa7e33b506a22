"""Disclosure texts for a payment-plan option, in Chinese and English.

Every option states its APR (IRR method), its total cost and the early-repayment terms. A
fee-priced (flat fee) plan is described as charging a fee with its equivalent annual rate; it
is never called free of interest, whatever its marketing name.
"""

from __future__ import annotations

from decimal import Decimal

from tools.finance.catalogue import FlatFeePricing, Lender, LenderProduct
from tools.finance.money import format_percent, format_yuan
from tools.finance.schedule import Schedule


def _pricing_text(product: LenderProduct) -> tuple[str, str]:
    pricing = product.pricing
    if isinstance(pricing, FlatFeePricing):
        fee = format_percent(pricing.monthly_fee_rate)
        return (
            f"本方案每月按原始借款本金的{fee}收取手续费，手续费是借款成本，"
            "还款期间本金减少后手续费不减少，因此实际年化利率明显高于表面费率",
            f"This plan charges a monthly fee of {fee} of the ORIGINAL amount borrowed; the fee is "
            "a cost of borrowing and does not fall as you repay, so the true annual rate is much "
            "higher than the headline fee rate",
        )
    rate = format_percent(pricing.annual_rate)
    return (
        f"本方案按剩余本金计息，合同年利率{rate}",
        f"Interest is charged on the balance still owed at a nominal annual rate of {rate}",
    )


def option_disclosure(
    product: LenderProduct, lender: Lender, schedule: Schedule, months: int, apr: Decimal
) -> tuple[str, str]:
    """(zh, en) disclosure for one option."""
    pricing_zh, pricing_en = _pricing_text(product)
    upfront_zh = (
        f"放款时扣除一次性费用{format_yuan(schedule.upfront_fees)}，实际到手"
        f"{format_yuan(schedule.principal - schedule.upfront_fees)}。"
        if schedule.upfront_fees
        else ""
    )
    upfront_en = (
        f"One-off fees of {format_yuan(schedule.upfront_fees)} are deducted at drawdown, so you "
        f"receive {format_yuan(schedule.principal - schedule.upfront_fees)}. "
        if schedule.upfront_fees
        else ""
    )
    zh = (
        f"{lender.name_zh}「{product.name_zh}」：借款{format_yuan(schedule.principal)}，"
        f"分{months}期，每期约{format_yuan(schedule.regular_payment)}。{pricing_zh}。{upfront_zh}"
        f"年化利率（按内部收益率IRR法计算）{format_percent(apr)}；"
        f"利息和费用合计{format_yuan(schedule.total_cost)}，"
        f"各期还款合计{format_yuan(schedule.total_repayment)}。"
        f"提前还款：{product.early_repayment_zh}"
        f"本方案为示例测算，最终以贷款机构审批和借款合同为准。"
    )
    en = (
        f"{lender.name_en} - {product.name_en}: borrow {format_yuan(schedule.principal)} over "
        f"{months} months, about {format_yuan(schedule.regular_payment)} a month. {pricing_en}. "
        f"{upfront_en}APR (annualised by the IRR method): {format_percent(apr)}; "
        f"interest and fees in total: {format_yuan(schedule.total_cost)}; "
        f"all instalments together: {format_yuan(schedule.total_repayment)}. "
        f"Early repayment: {product.early_repayment_en} "
        "This is an illustrative calculation; the lender's approval and the loan contract decide."
    )
    return zh, en
