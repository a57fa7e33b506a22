"""Per-tenant insurance product catalogues: ``tools/data/tenants/<tenant>/insurance_products.yaml``.

Rating is base premium by age band (and sex where the product uses it) times relativities
(smoker, city tier, deductible, plan tier). Underwriting rules map declared conditions to a
decision with a reason. Everything is validated on load so that a gap in a premium table or a
rule outside the bounds fails at start-up, not in front of a patient.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import ConfigurationError
from tools.finance.catalogue import TENANTS_DIR, tenant_file
from tools.insurance.conditions import load_condition_vocabulary

logger = logging.getLogger(__name__)

PRODUCTS_FILE = "insurance_products.yaml"
ProductType = Literal[
    "medical_reimbursement", "critical_illness", "city_supplementary", "chronic_disease_management"
]
Decision = Literal["accept", "accept_with_exclusion", "loading", "decline", "refer_manual"]
Sex = Literal["male", "female"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Insurer(_Frozen):
    id: str
    name_zh: str
    name_en: str


class AgeBandPremium(_Frozen):
    min_age: int = Field(ge=0)
    max_age: int = Field(le=120)
    sex: Sex | Literal["any"] = "any"
    premium: Decimal = Field(gt=0)


class PlanTier(_Frozen):
    id: str
    name_zh: str
    name_en: str
    multiplier: Decimal = Field(gt=0)
    sum_insured: Decimal | None = None


class DeductibleOption(_Frozen):
    amount: Decimal = Field(ge=0)
    multiplier: Decimal = Field(gt=0)


class ExclusionItem(_Frozen):
    code: str
    text_zh: str
    text_en: str


class UnderwritingRule(_Frozen):
    """Decision for one declared condition; ``controlled=None`` matches any answer."""

    condition: str
    controlled: bool | None = None
    decision: Decision
    loading_percent: Decimal = Field(default=Decimal(0), ge=0, le=200)
    exclusions: list[ExclusionItem] = []
    reason_zh: str
    reason_en: str

    @model_validator(mode="after")
    def _consistent(self) -> UnderwritingRule:
        if (self.decision == "loading") != (self.loading_percent > 0):
            raise ValueError(f"rule {self.condition}: loading_percent only with decision=loading")
        if self.decision == "accept_with_exclusion" and not self.exclusions:
            raise ValueError(f"rule {self.condition}: accept_with_exclusion needs exclusions")
        return self


class WearableBand(_Frozen):
    min_steps: int = Field(ge=0)
    max_steps: int | None = None
    """Inclusive upper bound; ``None`` = no upper bound."""
    adjustment_percent: Decimal
    """Negative = discount, positive = loading, on the standard premium."""


class WearableRule(_Frozen):
    """Bands are re-evaluated at every quote and renewal, so an adjustment is never permanent."""

    min_days: int = Field(ge=1)
    max_discount_percent: Decimal = Field(ge=0, le=30)
    max_loading_percent: Decimal = Field(ge=0, le=30)
    bands: list[WearableBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _bounded(self) -> WearableRule:
        for band in self.bands:
            if (
                not -self.max_discount_percent
                <= band.adjustment_percent
                <= self.max_loading_percent
            ):
                raise ValueError(f"wearable band from {band.min_steps} steps is out of bounds")
        return self


class InsuranceProduct(_Frozen):
    id: str
    type: ProductType
    name_zh: str
    name_en: str
    min_age: int = Field(ge=0)
    max_age: int = Field(le=120)
    uses_sex: bool = False
    base_premiums: list[AgeBandPremium] = Field(min_length=1)
    smoker_multiplier: Decimal = Field(default=Decimal(1), gt=0)
    city_tier_multipliers: dict[int, Decimal] = {}
    """Missing tiers rate at 1."""
    deductibles: list[DeductibleOption] = []
    default_deductible: Decimal | None = None
    plan_tiers: list[PlanTier] = Field(min_length=1)
    default_plan_tier: str
    waiting_period_days: int = Field(ge=0)
    exclusions: list[ExclusionItem] = []
    underwriting: list[UnderwritingRule] = []
    unlisted_condition_decision: Literal["accept", "refer_manual"] = "refer_manual"
    required_conditions: list[str] = []
    """Eligibility: the applicant must declare one of these (a plan for people with diabetes)."""
    max_total_loading_percent: Decimal = Field(default=Decimal(100), ge=0)
    wearable: WearableRule | None = None
    green_channel: bool = False
    features_zh: list[str] = []
    features_en: list[str] = []

    @model_validator(mode="after")
    def _check(self) -> InsuranceProduct:
        for sex in ("male", "female") if self.uses_sex else ("any",):
            for age in range(self.min_age, self.max_age + 1):
                if len(self.bands_for(age, sex)) != 1:
                    raise ValueError(f"{self.id}: premium table needs one band for {sex} {age}")
        if self.default_plan_tier not in {tier.id for tier in self.plan_tiers}:
            raise ValueError(f"{self.id}: default_plan_tier not among plan_tiers")
        amounts = {option.amount for option in self.deductibles}
        if (self.default_deductible is None) != (not amounts) or (
            self.default_deductible is not None and self.default_deductible not in amounts
        ):
            raise ValueError(f"{self.id}: default_deductible must be one of deductibles")
        return self

    def bands_for(self, age: int, sex: str) -> list[AgeBandPremium]:
        wanted = sex if self.uses_sex else "any"
        return [b for b in self.base_premiums if b.sex == wanted and b.min_age <= age <= b.max_age]


class InsuranceCatalogue(_Frozen):
    version: int
    tenant_id: str
    insurer: Insurer
    quote_validity_days: int = Field(ge=1, le=90)
    products: list[InsuranceProduct] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> InsuranceCatalogue:
        ids = [product.id for product in self.products]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate product ids")
        return self


def condition_codes_used(catalogue: InsuranceCatalogue) -> set[str]:
    return {
        code
        for product in catalogue.products
        for code in [rule.condition for rule in product.underwriting] + product.required_conditions
    }


@lru_cache(maxsize=32)
def load_insurance_catalogue(tenant_id: str, root: Path = TENANTS_DIR) -> InsuranceCatalogue:
    """Load and validate a tenant's product catalogue; unknown tenant -> ``NotFound``."""
    path = tenant_file(tenant_id, PRODUCTS_FILE, root)
    try:
        catalogue = InsuranceCatalogue.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigurationError(f"invalid insurance catalogue {path}: {exc}") from exc
    unknown = condition_codes_used(catalogue) - load_condition_vocabulary().codes()
    if catalogue.tenant_id != tenant_id or unknown:
        raise ConfigurationError(f"{path}: wrong tenant id or unknown conditions {unknown}")
    logger.debug("loaded insurance catalogue %s v%s", tenant_id, catalogue.version)
    return catalogue
