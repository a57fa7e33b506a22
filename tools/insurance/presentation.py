"""Disclosure texts and the side-by-side comparison of quotes (Chinese and English)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tools.finance.money import format_yuan
from tools.insurance.catalogue import Decision, InsuranceProduct, Insurer, ProductType
from tools.insurance.schemas import ComparisonRow, InsuranceQuote, QuoteComparison

TYPE_LABELS: dict[ProductType, tuple[str, str]] = {
    "medical_reimbursement": ("医疗险（百万医疗型）", "medical reimbursement"),
    "critical_illness": ("重疾险", "critical illness"),
    "city_supplementary": ("城市补充医疗保险（惠民保类）", "city supplementary"),
    "chronic_disease_management": ("慢病管理计划", "chronic-disease management plan"),
}
DECISION_LABELS: dict[Decision, tuple[str, str]] = {
    "accept": ("标准承保", "accepted on standard terms"),
    "accept_with_exclusion": ("除外承保", "accepted with exclusions"),
    "loading": ("加费承保", "accepted with a premium loading"),
    "refer_manual": ("需人工核保", "referred to manual underwriting"),
    "decline": ("暂不能承保", "cannot be accepted"),
}


def _premium_texts(premium: Decimal | None, decision: Decision) -> tuple[str, str]:
    if premium is not None:
        return f"年保费{format_yuan(premium)}。", f"Annual premium {format_yuan(premium)}. "
    if decision == "decline":
        return (
            "根据健康告知，本产品暂不能承保。",
            "Based on the declaration this product cannot accept the application. ",
        )
    return (
        "需人工核保后才能确定能否承保及保费。",
        "Manual underwriting must decide acceptance and premium. ",
    )


def quote_disclosure(
    insurer: Insurer,
    product: InsuranceProduct,
    quote_id: str,
    valid_until: str,
    premium: Decimal | None,
    decision: Decision,
    deductible: Decimal | None,
) -> tuple[str, str]:
    """Says whose product it is, that it is a sample quote, and that the policy terms decide
    claims — never a promise about claims or reimbursement."""
    premium_zh, premium_en = _premium_texts(premium, decision)
    deductible_zh = f"，免赔额{format_yuan(deductible)}" if deductible is not None else ""
    deductible_en = f"; deductible {format_yuan(deductible)}" if deductible is not None else ""
    green_zh = "，含就医绿通服务" if product.green_channel else ""
    green_en = "; includes a green-channel (就医绿通) service" if product.green_channel else ""
    zh = (
        f"这是{insurer.name_zh}的产品「{product.name_zh}」的示例报价（报价编号{quote_id}，"
        f"有效期至{valid_until}）。{premium_zh}等待期{product.waiting_period_days}天"
        f"{deductible_zh}{green_zh}；责任免除见报价列表。本报价仅供参考，不构成承保或赔付承诺："
        f"能否承保以{insurer.name_zh}核保为准，是否赔付及赔付金额以保险合同条款为准。"
    )
    en = (
        f"This is a sample quote for {insurer.name_en}'s product {product.name_en} (quote "
        f"{quote_id}, valid until {valid_until}). {premium_en}Waiting period "
        f"{product.waiting_period_days} days{deductible_en}{green_en}; exclusions are listed with "
        f"the quote. It is for reference only and is not an offer of cover or of any claim "
        f"payment: {insurer.name_en} decides acceptance, and whether and how much a claim pays "
        "is governed by the policy terms."
    )
    return zh, en


def _money(value: Decimal | None) -> str:
    return format_yuan(value) if value is not None else "—"


Cell = Callable[[InsuranceQuote], tuple[str, str]]
"""One quote's value in a comparison row, in Chinese and in English."""


def _same(text: Callable[[InsuranceQuote], str]) -> Cell:
    return lambda q: (text(q), text(q))


COMPARISON_ROWS: tuple[tuple[str, str, str, Cell], ...] = (
    ("product", "产品", "Product", lambda q: (q.product_name_zh, q.product_name_en)),
    ("insurer", "保险公司", "Insurer", lambda q: (q.insurer_name_zh, q.insurer_name_en)),
    ("type", "类型", "Type", lambda q: TYPE_LABELS[q.product_type]),
    ("annual_premium", "年保费", "Annual premium", _same(lambda q: _money(q.annual_premium))),
    (
        "underwriting",
        "核保结论",
        "Underwriting",
        lambda q: DECISION_LABELS[q.underwriting.decision],
    ),
    ("sum_insured", "保额", "Sum insured", _same(lambda q: _money(q.sum_insured))),
    ("deductible", "免赔额", "Deductible", _same(lambda q: _money(q.deductible))),
    (
        "waiting_period",
        "等待期",
        "Waiting period",
        lambda q: (f"{q.waiting_period_days}天", f"{q.waiting_period_days} days"),
    ),
    (
        "green_channel",
        "就医绿通",
        "Green channel",
        lambda q: ("含", "yes") if q.green_channel else ("不含", "no"),
    ),
    (
        "exclusions",
        "责任免除",
        "Exclusions",
        lambda q: (f"{len(q.exclusions)}项", str(len(q.exclusions))),
    ),
)
"""The facts a buyer compares, in display order: key, Chinese label, English label, cell."""


def comparison_row(
    key: str, zh: str, en: str, cell: Cell, quotes: list[InsuranceQuote]
) -> ComparisonRow:
    """One row of the comparison: a cell per quote, in the order of ``quotes``."""
    cells = [cell(q) for q in quotes]
    return ComparisonRow(
        key=key,
        label_zh=zh,
        label_en=en,
        values_zh=[c[0] for c in cells],
        values_en=[c[1] for c in cells],
    )


def compare_quotes(quotes: list[InsuranceQuote]) -> QuoteComparison:
    """One column per quote, rows of the facts a buyer compares; order = order of ``quotes``."""
    return QuoteComparison(
        quote_ids=[q.quote_id for q in quotes],
        rows=[comparison_row(*spec, quotes) for spec in COMPARISON_ROWS],
    )
