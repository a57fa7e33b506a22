"""Offline replies for the money tools: every figure is copied from the tool result."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agent.llm.offline.templates import t
from agent.llm.offline.tool_replies import summariser
from core.text import Language
from tools.catalog import INSURANCE_QUOTE, PAYMENT_PLANS


def _pct(value: Any) -> str:
    return f"{(Decimal(str(value)) * 100).quantize(Decimal('0.01'))}%"


@summariser(PAYMENT_PLANS)
def summarise_payment_plans(data: dict[str, Any], language: Language) -> str:
    zh = language == "zh"
    ratio = _pct(data["affordability"]["max_debt_ratio"]).replace(".00", "")
    if data.get("nothing_to_finance"):
        return t("nothing_to_finance", language)
    lines = [
        f"需要分期的金额为{data['financed_amount']}元。"
        if zh
        else f"The amount to finance is {data['financed_amount']} yuan."
    ]
    options = data.get("options", [])
    affordable = [o for o in options if o.get("affordable")]
    too_dear = [o for o in options if not o.get("affordable")]
    if affordable and too_dear:
        short = min(too_dear, key=lambda o: o["term_months"])
        lines.append(
            f"较短期限的方案超出可承受范围，例如{short['term_months']}期每月需还"
            f"{short['max_monthly_payment']}元。"
            if zh
            else f"Shorter plans are not affordable: over {short['term_months']} months you "
            f"would pay {short['max_monthly_payment']} yuan a month."
        )
    if affordable:
        best = min(affordable, key=lambda o: Decimal(str(o["total_cost"])))
        name = best["lender_name_zh"] if zh else best["lender_name_en"]
        lines.append(
            f"按每月还款不超过收入{ratio}的标准，可承受的方案中总成本最低的是{name}"
            f"{best['term_months']}期：每月约{best['monthly_payment']}元，年化利率{_pct(best['apr'])}，"
            f"总成本（利息+费用）{best['total_cost']}元。"
            if zh
            else f"Keeping repayments at or under {ratio} of income, the affordable option "
            f"with the lowest cost is {name} over {best['term_months']} months: about "
            f"{best['monthly_payment']} yuan a month, APR {_pct(best['apr'])}, total cost "
            f"(interest + fees) {best['total_cost']} yuan."
        )
    elif len({o["term_months"] for o in options}) == 1:
        # One term was asked for ("12期多少"): its figures, and that it is too dear.
        cheapest = min(options, key=lambda o: Decimal(str(o["total_cost"])))
        name = cheapest["lender_name_zh"] if zh else cheapest["lender_name_en"]
        lines.append(
            f"分{cheapest['term_months']}期（{name}）：每月约{cheapest['monthly_payment']}元，"
            f"年化利率{_pct(cheapest['apr'])}，总成本（利息+费用）{cheapest['total_cost']}元；"
            f"超出了每月还款不超过收入{ratio}的可承受范围。"
            if zh
            else f"Over {cheapest['term_months']} months ({name}): about "
            f"{cheapest['monthly_payment']} yuan a month, APR {_pct(cheapest['apr'])}, total cost "
            f"(interest + fees) {cheapest['total_cost']} yuan; more than the {ratio} of income "
            f"that repayments should stay within."
        )
        for suggestion in data.get("suggestions", [])[:3]:
            lines.append("· " + (suggestion["text_zh"] if zh else suggestion["text_en"]))
    else:
        lines.append(
            f"按每月还款不超过收入{ratio}的标准，目前没有可承受的分期方案。"
            if zh
            else f"No plan keeps repayments at or under {ratio} of your income."
        )
        for suggestion in data.get("suggestions", [])[:3]:
            lines.append("· " + (suggestion["text_zh"] if zh else suggestion["text_en"]))
    lines.append(t("finance_footer", language))
    return "\n".join(lines)


@summariser(INSURANCE_QUOTE)
def summarise_quote(data: dict[str, Any], language: Language) -> str:
    """Premiums, exclusions and the waiting period are on the quote card itself."""
    return t("quote_intro", language)
