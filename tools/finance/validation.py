"""Request checks and the financing breakdown (insurance first, then down payment).

Each violated rule raises ``ValidationFailed`` with a stable code, the offending field and a
message in Chinese and English, so the API and the agent can answer in the user's language.
"""

from __future__ import annotations

from decimal import Decimal

from core.errors import ValidationFailed
from tools.finance.catalogue import MAX_TERM_MONTHS, MIN_TERM_MONTHS
from tools.finance.money import ZERO, to_fen
from tools.finance.schemas import FinancingBreakdown, PaymentPlanRequest

_FIELD_ZH = {
    "total_cost": "治疗总费用",
    "insurance_coverage_amount": "医保报销金额",
    "commercial_insurance_amount": "商业保险赔付金额",
    "down_payment": "首付款",
    "existing_monthly_debt": "现有每月还款",
}


def _fail(code: str, field: str, en: str, zh: str) -> ValidationFailed:
    return ValidationFailed(en, message_zh=zh, code=code, field=field)


def _check_amount(field: str, value: Decimal | None, *, positive: bool = False) -> None:
    if value is None:
        return
    if not value.is_finite() or value < 0 or (positive and value == 0):
        need_en = "greater than 0" if positive else "0 or more"
        need_zh = "大于0" if positive else "不能为负数"
        raise _fail(
            "invalid_amount",
            field,
            f"{field} must be {need_en} (got {value}).",
            f"{_FIELD_ZH[field]}必须{need_zh}（收到 {value}）。",
        )


def validate_request(request: PaymentPlanRequest) -> None:
    _check_amount("total_cost", request.total_cost, positive=True)
    for field in ("insurance_coverage_amount", "commercial_insurance_amount", "down_payment"):
        _check_amount(field, getattr(request, field))
    _check_amount("existing_monthly_debt", request.existing_monthly_debt)
    ratio = request.insurance_coverage_ratio
    if ratio is not None and not (ratio.is_finite() and 0 <= ratio <= 1):
        raise _fail(
            "invalid_coverage_ratio",
            "insurance_coverage_ratio",
            "The insurance coverage ratio must be between 0 and 1, e.g. 0.6 for 60% "
            f"(got {ratio}).",
            f"医保报销比例应在0到1之间，例如60%填0.6（收到 {ratio}）。",
        )
    income = request.monthly_income
    if not income.is_finite() or income <= 0:
        raise _fail(
            "invalid_income",
            "monthly_income",
            "Monthly income must be greater than 0 to check affordability.",
            "月收入必须大于0，才能判断分期是否负担得起。",
        )
    term = request.term_months
    if term is not None and not MIN_TERM_MONTHS <= term <= MAX_TERM_MONTHS:
        raise _fail(
            "invalid_term",
            "term_months",
            f"The term must be between {MIN_TERM_MONTHS} and {MAX_TERM_MONTHS} months "
            f"(got {term}).",
            f"分期期数应在{MIN_TERM_MONTHS}到{MAX_TERM_MONTHS}个月之间（收到 {term}）。",
        )
    amount = request.insurance_coverage_amount
    if amount is not None and amount > request.total_cost:
        raise _fail(
            "coverage_exceeds_cost",
            "insurance_coverage_amount",
            "The insurance amount is larger than the total cost; please check both figures.",
            "医保报销金额大于治疗总费用，请核对这两个数字。",
        )
    if (
        ratio is not None
        and amount is not None
        and abs(to_fen(ratio * request.total_cost) - amount) > 1
    ):
        raise _fail(
            "coverage_conflict",
            "insurance_coverage_amount",
            "The coverage ratio and the coverage amount disagree; please give one of them.",
            "医保报销比例和报销金额不一致，请只提供其中一个。",
        )


def financing_breakdown(request: PaymentPlanRequest) -> FinancingBreakdown:
    """Apply basic insurance, then commercial insurance, then the down payment; each part is
    capped at what is still owed so the parts add up exactly to the total cost."""
    total = to_fen(request.total_cost)
    if request.insurance_coverage_amount is not None:
        basic = to_fen(request.insurance_coverage_amount)
    else:
        basic = to_fen(total * (request.insurance_coverage_ratio or ZERO))
    basic = min(basic, total)
    commercial = min(to_fen(request.commercial_insurance_amount or ZERO), total - basic)
    down = min(to_fen(request.down_payment or ZERO), total - basic - commercial)
    return FinancingBreakdown(
        total_cost=total,
        basic_insurance_amount=basic,
        commercial_insurance_amount=commercial,
        down_payment=down,
        financed_amount=total - basic - commercial - down,
    )
