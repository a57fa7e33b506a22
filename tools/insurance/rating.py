"""Premium rating: table premium x relativities, then underwriting loading and wearable band.

standard = round(base(age band[, sex]) x smoker x city tier x deductible x plan tier, fen)
loading  = round(standard x underwriting loading %, fen)
wearable = round(standard x wearable band %, fen)       (negative = discount)
annual   = standard + loading + wearable
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tools.finance.money import to_fen
from tools.insurance.catalogue import InsuranceProduct, PlanTier
from tools.insurance.schemas import PremiumBreakdown, PremiumFactor, QuoteRequest, WearableSummary

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class WearableAdjustment:
    percent: Decimal
    note_zh: str | None
    note_en: str | None


def wearable_adjustment(
    product: InsuranceProduct, summary: WearableSummary | None
) -> WearableAdjustment:
    """Band for the average daily steps; nothing when the product has no bands or data is short.

    The band is recomputed from recent data at every quote and renewal: it is reversible."""
    rule = product.wearable
    if summary is None or rule is None:
        return WearableAdjustment(Decimal(0), None, None)
    if summary.days_covered is None or summary.days_covered < rule.min_days:
        return WearableAdjustment(
            Decimal(0),
            f"可穿戴数据不足{rule.min_days}天，本次未做调整。",
            f"Less than {rule.min_days} days of wearable data, so no adjustment this time.",
        )
    steps = summary.avg_daily_steps
    band = next(
        (
            b
            for b in rule.bands
            if b.min_steps <= steps and (b.max_steps is None or steps <= b.max_steps)
        ),
        None,
    )
    percent = band.adjustment_percent if band else Decimal(0)
    return WearableAdjustment(
        percent,
        f"日均{steps}步，调整{percent:+}%；每次续保按最近数据重新计算，可升可降。",
        f"{steps} average daily steps: {percent:+}%; recalculated from recent data at every "
        "renewal, so it can go up or down.",
    )


def _factors(
    product: InsuranceProduct, request: QuoteRequest, deductible: Decimal | None, tier: PlanTier
) -> list[PremiumFactor]:
    factors = [
        PremiumFactor(
            name="smoker",
            value="yes" if request.smoker else "no",
            multiplier=product.smoker_multiplier if request.smoker else Decimal(1),
        ),
        PremiumFactor(
            name="city_tier",
            value=str(request.city_tier),
            multiplier=product.city_tier_multipliers.get(request.city_tier, Decimal(1)),
        ),
    ]
    if deductible is not None:
        option = next(o for o in product.deductibles if o.amount == deductible)
        factors.append(
            PremiumFactor(name="deductible", value=str(deductible), multiplier=option.multiplier)
        )
    factors.append(PremiumFactor(name="plan_tier", value=tier.id, multiplier=tier.multiplier))
    return factors


def rate_premium(
    product: InsuranceProduct,
    request: QuoteRequest,
    deductible: Decimal | None,
    tier: PlanTier,
    loading_percent: Decimal,
    wearable: WearableAdjustment,
) -> PremiumBreakdown:
    (band,) = product.bands_for(request.age, request.sex)
    standard = band.premium
    factors = _factors(product, request, deductible, tier)
    for factor in factors:
        standard *= factor.multiplier
    standard = to_fen(standard)
    loading = to_fen(standard * loading_percent / _HUNDRED)
    adjustment = to_fen(standard * wearable.percent / _HUNDRED)
    sex_part = f", {band.sex}" if product.uses_sex else ""
    return PremiumBreakdown(
        base_premium=band.premium,
        age_band=f"{band.min_age}-{band.max_age}{sex_part}",
        factors=factors,
        standard_premium=standard,
        underwriting_loading_percent=loading_percent,
        underwriting_loading=loading,
        wearable_adjustment_percent=wearable.percent,
        wearable_adjustment=adjustment,
        wearable_note_zh=wearable.note_zh,
        wearable_note_en=wearable.note_en,
        annual_premium=standard + loading + adjustment,
    )
