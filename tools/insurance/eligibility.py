"""Which selected products can be quoted at all for this applicant and these options."""

from __future__ import annotations

from core.errors import ValidationFailed
from tools.finance.money import format_yuan
from tools.insurance.catalogue import InsuranceProduct
from tools.insurance.schemas import NotQuoted, NotQuotedReason, QuoteRequest
from tools.insurance.underwriting import DeclaredCondition


def require_offered_somewhere(products: list[InsuranceProduct], request: QuoteRequest) -> None:
    """A deductible or plan tier that none of the selected products offers is bad input."""
    if request.deductible is not None:
        offered = {o.amount for p in products for o in p.deductibles}
        if request.deductible not in offered:
            listed = ", ".join(format_yuan(a) for a in sorted(offered)) or "-"
            raise ValidationFailed(
                f"No selected product offers a deductible of {format_yuan(request.deductible)}; "
                f"offered: {listed}.",
                message_zh=f"所选产品都不提供{format_yuan(request.deductible)}的免赔额；可选：{listed}。",
                code="deductible_not_offered",
                field="deductible",
            )
    if request.plan_tier is not None:
        tiers = {t.id for p in products for t in p.plan_tiers}
        if request.plan_tier not in tiers:
            listed = ", ".join(sorted(tiers))
            raise ValidationFailed(
                f"No selected product has a plan tier {request.plan_tier!r}; offered: {listed}.",
                message_zh=f"所选产品都没有“{request.plan_tier}”档次；可选：{listed}。",
                code="plan_tier_not_offered",
                field="plan_tier",
            )


def not_quoted_reason(
    product: InsuranceProduct, request: QuoteRequest, declared: list[DeclaredCondition]
) -> NotQuoted | None:
    def reason(code: NotQuotedReason, zh: str, en: str) -> NotQuoted:
        return NotQuoted(
            product_id=product.id,
            product_name_zh=product.name_zh,
            product_name_en=product.name_en,
            reason_code=code,
            reason_zh=zh,
            reason_en=en,
        )

    if not product.min_age <= request.age <= product.max_age:
        return reason(
            "age_outside_range",
            f"投保年龄为{product.min_age}至{product.max_age}岁。",
            f"Entry age is {product.min_age} to {product.max_age}.",
        )
    if product.required_conditions and not {d.code for d in declared} & set(
        product.required_conditions
    ):
        return reason(
            "condition_required",
            "本计划面向已确诊相关慢病的人群，需在健康告知中说明。",
            "This plan is for people already diagnosed with the condition it manages; "
            "declare it in the health declaration.",
        )
    if (
        request.deductible is not None
        and product.deductibles
        and request.deductible not in {o.amount for o in product.deductibles}
    ):
        return reason(
            "deductible_not_offered",
            f"本产品不提供{format_yuan(request.deductible)}的免赔额。",
            f"This product does not offer a {format_yuan(request.deductible)} deductible.",
        )
    if request.plan_tier is not None and request.plan_tier not in {
        t.id for t in product.plan_tiers
    }:
        return reason(
            "plan_tier_not_offered",
            f"本产品没有“{request.plan_tier}”档次。",
            f"This product has no plan tier {request.plan_tier!r}.",
        )
    return None
