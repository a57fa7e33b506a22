"""Input and output models of the insurance-quote tool (premiums in yuan per year)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.bounds import Amount, ShortText
from tools.insurance.catalogue import Decision, ProductType, Sex

WEARABLE_PRICING_PURPOSE = "insurance_pricing_wearable"
NotQuotedReason = Literal[
    "age_outside_range", "deductible_not_offered", "plan_tier_not_offered", "condition_required"
]


class HealthDeclarationAnswer(BaseModel):
    """One answer of the health declaration (健康告知)."""

    condition: str = Field(
        max_length=200, description="condition code or its name, e.g. 'hypertension', '高血压'"
    )
    controlled: bool | None = Field(
        default=None, description="well controlled on treatment, if the patient said so"
    )
    details: str | None = Field(default=None, max_length=1000)


class WearableSummary(BaseModel):
    avg_daily_steps: int = Field(
        ge=-1_000_000, le=1_000_000, description="average daily steps over the period"
    )
    days_covered: int | None = Field(
        default=None, ge=-100_000, le=100_000, description="days of data behind the average"
    )


class QuoteRequest(BaseModel):
    """Applicant facts used for rating. Genetic information is never a rating input."""

    product_ids: list[ShortText] | None = Field(
        default=None, max_length=100, description="default: all products"
    )
    age: int = Field(ge=-1000, le=1000, description="age last birthday, 0-120")
    sex: Sex
    smoker: bool = False
    city_tier: int = Field(ge=-1000, le=1000, description="city tier 1-4 (一线=1 ... 四线及以下=4)")
    deductible: Amount | None = Field(default=None, description="yuan; products that offer it")
    plan_tier: str | None = Field(default=None, max_length=64)
    health_declaration: list[ShortText | HealthDeclarationAnswer] = Field(
        default=[], max_length=100, description="declared conditions; empty = nothing to declare"
    )
    wearable_summary: WearableSummary | None = Field(
        default=None, description="needs the patient's consent 'insurance_pricing_wearable'"
    )
    genetic_info: str | list[str] | dict[str, Any] | None = Field(
        default=None, description="must stay empty: genetic data is never used for pricing"
    )


class PremiumFactor(BaseModel):
    name: Literal["smoker", "city_tier", "deductible", "plan_tier"]
    value: str
    multiplier: Decimal


class PremiumBreakdown(BaseModel):
    base_premium: Decimal = Field(description="table premium for the age band (and sex)")
    age_band: str
    factors: list[PremiumFactor]
    standard_premium: Decimal = Field(description="base x factors")
    underwriting_loading_percent: Decimal
    underwriting_loading: Decimal
    wearable_adjustment_percent: Decimal
    wearable_adjustment: Decimal
    wearable_note_zh: str | None = None
    wearable_note_en: str | None = None
    annual_premium: Decimal


class UnderwritingFinding(BaseModel):
    condition: str
    label_zh: str
    label_en: str
    decision: Decision
    loading_percent: Decimal = Decimal(0)
    reason_zh: str
    reason_en: str


class UnderwritingResult(BaseModel):
    decision: Decision
    loading_percent: Decimal
    reason_zh: str
    reason_en: str
    findings: list[UnderwritingFinding] = []


class QuotedExclusion(BaseModel):
    code: str
    text_zh: str
    text_en: str
    source: Literal["product", "underwriting"]


class InsuranceQuote(BaseModel):
    quote_id: str
    valid_until: date
    insurer_name_zh: str
    insurer_name_en: str
    product_id: str
    product_name_zh: str
    product_name_en: str
    product_type: ProductType
    plan_tier: str
    sum_insured: Decimal | None
    annual_premium: Decimal | None = Field(description="None when declined or referred")
    breakdown: PremiumBreakdown | None
    underwriting: UnderwritingResult
    exclusions: list[QuotedExclusion]
    waiting_period_days: int
    deductible: Decimal | None
    green_channel: bool
    features_zh: list[str] = []
    features_en: list[str] = []
    disclosure_zh: str
    disclosure_en: str


class NotQuoted(BaseModel):
    product_id: str
    product_name_zh: str
    product_name_en: str
    reason_code: NotQuotedReason
    reason_zh: str
    reason_en: str


class ComparisonRow(BaseModel):
    key: str
    label_zh: str
    label_en: str
    values_zh: list[str]
    values_en: list[str]


class QuoteComparison(BaseModel):
    """Side by side: one column per quote, in the same (neutral) order as ``quotes``."""

    quote_ids: list[str]
    rows: list[ComparisonRow]


class QuoteResult(BaseModel):
    tenant_id: str
    catalogue_version: int
    insurer_name_zh: str
    insurer_name_en: str
    quotes: list[InsuranceQuote]
    not_quoted: list[NotQuoted] = []
    comparison: QuoteComparison
    ordering_note_zh: str
    ordering_note_en: str
