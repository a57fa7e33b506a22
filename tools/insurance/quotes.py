"""Insurance quotes: the pure computation and the agent tool around it.

Order of quotes (neutral, documented): by product type in ``PRODUCT_TYPE_ORDER``, then by the
product's English name, then its id. Nothing about distribution (commission, sponsorship)
is part of a catalogue or of the ordering; the catalogue's own listing order does not matter.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from datetime import datetime, timedelta

from core.errors import NotFound
from tools.insurance.catalogue import (
    InsuranceCatalogue,
    InsuranceProduct,
    ProductType,
    load_insurance_catalogue,
)
from tools.insurance.checks import (
    parse_declaration,
    reject_genetic_data,
    require_wearable_consent,
    validate_quote_request,
)
from tools.insurance.conditions import ConditionVocabulary, load_condition_vocabulary
from tools.insurance.eligibility import not_quoted_reason, require_offered_somewhere
from tools.insurance.presentation import compare_quotes, quote_disclosure
from tools.insurance.rating import rate_premium, wearable_adjustment
from tools.insurance.schemas import (
    InsuranceQuote,
    NotQuoted,
    QuotedExclusion,
    QuoteRequest,
    QuoteResult,
)
from tools.insurance.underwriting import DeclaredCondition, underwrite
from tools.registry import ToolContext, ToolSpec

PRODUCT_TYPE_ORDER: tuple[ProductType, ...] = (
    "medical_reimbursement",
    "critical_illness",
    "city_supplementary",
    "chronic_disease_management",
)


def neutral_order_key(product: InsuranceProduct) -> tuple[int, str, str]:
    return (PRODUCT_TYPE_ORDER.index(product.type), product.name_en.casefold(), product.id)


def _select(catalogue: InsuranceCatalogue, product_ids: list[str] | None) -> list[InsuranceProduct]:
    if product_ids is None:
        return list(catalogue.products)
    by_id = {product.id: product for product in catalogue.products}
    unknown = [pid for pid in product_ids if pid not in by_id]
    if unknown:
        raise NotFound(
            f"unknown insurance product(s): {', '.join(unknown)}",
            message_zh=f"未找到保险产品：{'、'.join(unknown)}",
            code="unknown_product",
            field="product_ids",
        )
    return [by_id[pid] for pid in dict.fromkeys(product_ids)]


def quote_id_for(
    catalogue: InsuranceCatalogue,
    product: InsuranceProduct,
    request: QuoteRequest,
    declared: list[DeclaredCondition],
    priced_as: dict[str, str | None],
    day: str,
) -> str:
    """Same inputs, catalogue version and day -> same id (quotes can be stored idempotently)."""
    payload = {
        "tenant": catalogue.tenant_id,
        "catalogue_version": catalogue.version,
        "product": product.id,
        "applicant": request.model_dump(mode="json", include={"age", "sex", "smoker", "city_tier"}),
        "declared": [[d.code, d.text if d.entry is None else "", d.controlled] for d in declared],
        "priced_as": priced_as,
        "day": day,
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return f"IQ-{digest[:16].upper()}"


def _quote(
    product: InsuranceProduct,
    catalogue: InsuranceCatalogue,
    request: QuoteRequest,
    declared: list[DeclaredCondition],
    now: datetime,
) -> InsuranceQuote:
    tier = next(
        t for t in product.plan_tiers if t.id == (request.plan_tier or product.default_plan_tier)
    )
    deductible = None
    if product.deductibles:
        deductible = (
            request.deductible if request.deductible is not None else product.default_deductible
        )
    underwriting, uw_exclusions = underwrite(product, declared)
    wearable = wearable_adjustment(product, request.wearable_summary)
    priced = underwriting.decision not in ("decline", "refer_manual")
    breakdown = (
        rate_premium(product, request, deductible, tier, underwriting.loading_percent, wearable)
        if priced
        else None
    )
    priced_as = {
        "plan_tier": tier.id,
        "deductible": None if deductible is None else str(deductible),
        "wearable_percent": str(wearable.percent),
    }
    quote_id = quote_id_for(
        catalogue, product, request, declared, priced_as, now.date().isoformat()
    )
    valid_until = now.date() + timedelta(days=catalogue.quote_validity_days)
    premium = breakdown.annual_premium if breakdown else None
    disclosure_zh, disclosure_en = quote_disclosure(
        catalogue.insurer,
        product,
        quote_id,
        valid_until.isoformat(),
        premium,
        underwriting.decision,
        deductible,
    )
    exclusions = [QuotedExclusion(**e.model_dump(), source="product") for e in product.exclusions]
    exclusions += [QuotedExclusion(**e.model_dump(), source="underwriting") for e in uw_exclusions]
    return InsuranceQuote(
        quote_id=quote_id,
        valid_until=valid_until,
        insurer_name_zh=catalogue.insurer.name_zh,
        insurer_name_en=catalogue.insurer.name_en,
        product_id=product.id,
        product_name_zh=product.name_zh,
        product_name_en=product.name_en,
        product_type=product.type,
        plan_tier=tier.id,
        sum_insured=tier.sum_insured,
        annual_premium=premium,
        breakdown=breakdown,
        underwriting=underwriting,
        exclusions=exclusions,
        waiting_period_days=product.waiting_period_days,
        deductible=deductible,
        green_channel=product.green_channel,
        features_zh=product.features_zh,
        features_en=product.features_en,
        disclosure_zh=disclosure_zh,
        disclosure_en=disclosure_en,
    )


def compute_quotes(
    request: QuoteRequest,
    catalogue: InsuranceCatalogue,
    vocabulary: ConditionVocabulary,
    *,
    consented_purposes: frozenset[str],
    now: datetime,
) -> QuoteResult:
    """Quotes for the selected products in neutral order, with a side-by-side comparison."""
    reject_genetic_data(request, vocabulary)
    require_wearable_consent(request, consented_purposes)
    validate_quote_request(request)
    declared = parse_declaration(request, vocabulary)
    products = sorted(_select(catalogue, request.product_ids), key=neutral_order_key)
    require_offered_somewhere(products, request)
    quotes: list[InsuranceQuote] = []
    not_quoted: list[NotQuoted] = []
    for product in products:
        reason = not_quoted_reason(product, request, declared)
        if reason is not None:
            not_quoted.append(reason)
        else:
            quotes.append(_quote(product, catalogue, request, declared, now))
    return QuoteResult(
        tenant_id=catalogue.tenant_id,
        catalogue_version=catalogue.version,
        insurer_name_zh=catalogue.insurer.name_zh,
        insurer_name_en=catalogue.insurer.name_en,
        quotes=quotes,
        not_quoted=not_quoted,
        comparison=compare_quotes(quotes),
        ordering_note_zh="产品按类型（医疗险、重疾险、惠民保类、慢病管理）再按名称排列，与佣金无关。",
        ordering_note_en="Products are listed by type (medical, critical illness, city "
        "supplementary, chronic-disease plan) and then by name; never by commission.",
    )


def quote_insurance(args: QuoteRequest, ctx: ToolContext) -> QuoteResult:
    """Quote the tenant insurer's products for an applicant: premium with its breakdown,
    underwriting decision from the health declaration (with reasons), exclusions, waiting
    period, deductible and green channel, each with a disclosure naming the insurer. Wearable
    data adjusts premiums only with the patient's consent; genetic data is refused."""
    return compute_quotes(
        args,
        load_insurance_catalogue(ctx.tenant_id),
        load_condition_vocabulary(),
        consented_purposes=ctx.consented_purposes,
        now=ctx.now,
    )


insurance_quotes_tool: ToolSpec[QuoteRequest, QuoteResult] = ToolSpec(
    name="quote_insurance",
    description=inspect.getdoc(quote_insurance) or "",
    input_model=QuoteRequest,
    output_model=QuoteResult,
    fn=quote_insurance,
    card_type="insurance_quote",
    record="insurance_quote",
)
