"""What to offer when no option is affordable: a longer term, a smaller amount, help routes."""

from __future__ import annotations

from decimal import Decimal

from tools.finance.catalogue import LenderCatalogue, LenderProduct
from tools.finance.money import FEN, ZERO, format_percent, format_yuan
from tools.finance.options import PricedTerm, fits, price_term
from tools.finance.schedule import build_schedule
from tools.finance.schemas import Suggestion


def _longest_term(priced: list[PricedTerm]) -> PricedTerm:
    """The longest term on offer; among equals the lowest largest instalment."""
    longest = max(p.months for p in priced)
    return min(
        (p for p in priced if p.months == longest),
        key=lambda p: (p.schedule.max_payment, p.product.id),
    )


def _largest_affordable(
    product: LenderProduct,
    months: int,
    financed: Decimal,
    budget: Decimal,
    apr_cap: Decimal,
    catalogue: LenderCatalogue,
) -> Decimal:
    """Largest amount (to the fen, at most ``financed``) whose largest instalment fits the
    budget at this term. Instalments grow with the amount, so a bisection on fen suffices."""
    low, high = 0, int(financed / FEN)
    while low < high:
        mid = (low + high + 1) // 2
        if build_schedule(product, mid * FEN, months).max_payment <= budget:
            low = mid
        else:
            high = mid - 1
    amount = low * FEN
    if amount == 0 or not fits(product, amount, catalogue):
        return ZERO
    return amount if price_term(product, amount, months).apr <= apr_cap else ZERO


def _budget_texts(budget: Decimal, ratio: Decimal) -> tuple[str, str]:
    return (
        f"按月收入的{format_percent(ratio, 0)}计算，"
        f"您每月最多可用于新增还款约{format_yuan(budget)}",
        f"at {format_percent(ratio, 0)} of income you can add about {format_yuan(budget)} a month",
    )


def build_suggestions(
    priced: list[PricedTerm],
    financed: Decimal,
    budget: Decimal,
    ratio: Decimal,
    apr_cap: Decimal,
    catalogue: LenderCatalogue,
) -> list[Suggestion]:
    """``priced``: every cap-compliant (product, term) for the amount, whatever term was asked."""
    suggestions: list[Suggestion] = []
    budget_zh, budget_en = _budget_texts(max(budget, ZERO), ratio)
    if priced:
        best = _longest_term(priced)
        payment = best.schedule.max_payment
        fits_zh = "在可负担范围内" if payment <= budget else "仍超出可负担范围"
        fits_en = "within" if payment <= budget else "still above"
        suggestions.append(
            Suggestion(
                kind="longer_term",
                text_zh=f"最长可分{best.months}期（{best.product.name_zh}），每期最多"
                f"{format_yuan(payment)}，{fits_zh}（{budget_zh}）。",
                text_en=f"The longest term is {best.months} months ({best.product.name_en}) at up "
                f"to {format_yuan(payment)} a month, {fits_en} what is affordable ({budget_en}).",
                product_id=best.product.id,
                term_months=best.months,
                monthly_payment=payment,
            )
        )
        if payment > budget:
            suggestions.append(_smaller_amount(priced, financed, budget, ratio, apr_cap, catalogue))
    suggestions.extend(
        Suggestion(kind="assistance", text_zh=route.text_zh, text_en=route.text_en)
        for route in catalogue.assistance_routes
    )
    suggestions.append(
        Suggestion(
            kind="health_manager",
            text_zh="可以请您的健康管理师帮忙梳理费用、报销和援助渠道，再决定是否分期。",
            text_en="Your health manager can help you go through the costs, reimbursement and "
            "assistance routes before you decide on instalments.",
        )
    )
    return suggestions


def _smaller_amount(
    priced: list[PricedTerm],
    financed: Decimal,
    budget: Decimal,
    ratio: Decimal,
    apr_cap: Decimal,
    catalogue: LenderCatalogue,
) -> Suggestion:
    longest_per_product: dict[str, PricedTerm] = {}
    for p in priced:
        current = longest_per_product.get(p.product.id)
        if current is None or p.months > current.months:
            longest_per_product[p.product.id] = p
    best_amount, best_term = ZERO, None
    if budget > 0:
        for p in sorted(longest_per_product.values(), key=lambda p: p.product.id):
            amount = _largest_affordable(p.product, p.months, financed, budget, apr_cap, catalogue)
            if amount > best_amount:
                best_amount, best_term = amount, p
    if best_term is None:
        share = format_percent(ratio, 0)
        return Suggestion(
            kind="smaller_amount",
            text_zh=f"按现有收入和负债，新增分期会使每月还款超过收入的{share}，"
            "建议先减少需分期的金额（例如申请援助）或先处理现有负债。",
            text_en="With the current income and debts, a new instalment plan would push monthly "
            f"repayments above {share} of income; consider reducing the amount to finance (for "
            "example through assistance) or existing debts first.",
            max_affordable_amount=ZERO,
        )
    gap = financed - best_amount
    return Suggestion(
        kind="smaller_amount",
        text_zh=f"分{best_term.months}期时，可负担的最大分期金额约为{format_yuan(best_amount)}，"
        f"其余约{format_yuan(gap)}需通过首付、补充保险或援助解决。",
        text_en=f"Over {best_term.months} months the largest affordable amount is about "
        f"{format_yuan(best_amount)}; the remaining {format_yuan(gap)} would need a down "
        "payment, other insurance or assistance.",
        product_id=best_term.product.id,
        term_months=best_term.months,
        max_affordable_amount=best_amount,
    )
