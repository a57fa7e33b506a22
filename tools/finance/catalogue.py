"""Per-tenant lender catalogues: ``tools/data/tenants/<tenant_id>/lenders.yaml``.

A catalogue lists lenders and their instalment products. Pricing is data: either an annual
nominal rate on the declining balance, or a flat monthly fee on the original principal. The
catalogue is validated on load so that a product can never be mislabelled "interest-free".
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import ConfigurationError, NotFound

logger = logging.getLogger(__name__)

TENANTS_DIR = Path(__file__).resolve().parent.parent / "data" / "tenants"
LENDERS_FILE = "lenders.yaml"
MIN_TERM_MONTHS = 3
MAX_TERM_MONTHS = 60
_TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Wording that would present a priced product as free of charge (checked on every product text).
_FREE_OF_CHARGE_WORDS = ("免息", "0利息", "零利息", "无利息", "interest-free", "interest free")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Lender(_Frozen):
    id: str
    name_zh: str
    name_en: str


class DecliningBalancePricing(_Frozen):
    """Equal instalments; interest each month on the balance still owed."""

    method: Literal["declining_balance"] = "declining_balance"
    annual_rate: Decimal = Field(ge=0, le=1, description="nominal annual rate, 0.12 = 12%")


class FlatFeePricing(_Frozen):
    """Equal principal each month plus a fee on the ORIGINAL principal every month."""

    method: Literal["flat_fee"] = "flat_fee"
    monthly_fee_rate: Decimal = Field(ge=0, le=Decimal("0.1"), description="0.005 = 0.5%/month")


Pricing = Annotated[DecliningBalancePricing | FlatFeePricing, Field(discriminator="method")]


class OneOffFee(_Frozen):
    """A fee charged once: deducted at drawdown (``upfront``) or added to the first instalment."""

    id: str
    name_zh: str
    name_en: str
    timing: Literal["upfront", "first_instalment"]
    amount: Decimal | None = Field(default=None, ge=0)
    rate: Decimal | None = Field(default=None, ge=0, le=Decimal("0.2"))

    @model_validator(mode="after")
    def _one_of_amount_or_rate(self) -> OneOffFee:
        if (self.amount is None) == (self.rate is None):
            raise ValueError(f"fee {self.id!r}: give exactly one of amount or rate")
        return self


class LenderProduct(_Frozen):
    id: str
    lender: str
    name_zh: str
    name_en: str
    tier: Literal["standard", "micro"] = "standard"
    pricing: Pricing
    one_off_fees: list[OneOffFee] = []
    terms: list[int] = Field(min_length=1)
    min_amount: Decimal = Field(gt=0)
    max_amount: Decimal = Field(gt=0)
    early_repayment_zh: str
    early_repayment_en: str

    @model_validator(mode="after")
    def _check(self) -> LenderProduct:
        bad = [t for t in self.terms if not MIN_TERM_MONTHS <= t <= MAX_TERM_MONTHS]
        if bad:
            raise ValueError(f"product {self.id!r}: terms {bad} outside 3-60 months")
        if self.min_amount > self.max_amount:
            raise ValueError(f"product {self.id!r}: min_amount > max_amount")
        text = " ".join(
            [self.name_zh, self.name_en, self.early_repayment_zh, self.early_repayment_en]
        )
        if any(word in text.lower() for word in _FREE_OF_CHARGE_WORDS):
            raise ValueError(f"product {self.id!r}: 'interest-free' wording is not allowed")
        return self


class AssistanceRoute(_Frozen):
    """A place to ask for help with a bill (hospital office, public scheme, charity)."""

    id: str
    text_zh: str
    text_en: str


class LenderCatalogue(_Frozen):
    version: int
    tenant_id: str
    micro_tier_max_amount: Decimal = Field(default=Decimal("1000"), gt=0)
    apr_cap: Decimal | None = Field(default=None, gt=0, le=1)
    """Tenant cap; it can only lower the service-wide cap (fact ``finance.apr_cap``)."""
    lenders: list[Lender]
    products: list[LenderProduct]
    assistance_routes: list[AssistanceRoute] = []

    @model_validator(mode="after")
    def _check(self) -> LenderCatalogue:
        lender_ids = {lender.id for lender in self.lenders}
        seen: set[str] = set()
        for product in self.products:
            if product.lender not in lender_ids:
                raise ValueError(f"product {product.id!r}: unknown lender {product.lender!r}")
            if product.id in seen:
                raise ValueError(f"duplicate product id {product.id!r}")
            seen.add(product.id)
            if product.tier == "micro" and product.max_amount > self.micro_tier_max_amount:
                raise ValueError(f"micro product {product.id!r} exceeds micro_tier_max_amount")
        return self

    def lender(self, lender_id: str) -> Lender:
        return next(lender for lender in self.lenders if lender.id == lender_id)


def tenant_file(tenant_id: str, filename: str, root: Path = TENANTS_DIR) -> Path:
    """Path of a tenant's data file; unknown or malformed tenant ids raise ``NotFound``."""
    path = root / tenant_id / filename
    if not _TENANT_ID.match(tenant_id) or not path.is_file():
        raise NotFound(
            f"unknown tenant {tenant_id!r}",
            message_zh=f"未找到租户 {tenant_id!r}",
            code="unknown_tenant",
            field="tenant_id",
        )
    return path


@lru_cache(maxsize=32)
def load_lender_catalogue(tenant_id: str, root: Path = TENANTS_DIR) -> LenderCatalogue:
    """Load and validate a tenant's lender catalogue (cached; the files are versioned data)."""
    path = tenant_file(tenant_id, LENDERS_FILE, root)
    try:
        catalogue = LenderCatalogue.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigurationError(f"invalid lender catalogue {path}: {exc}") from exc
    if catalogue.tenant_id != tenant_id:
        raise ConfigurationError(f"{path} declares tenant {catalogue.tenant_id!r}")
    logger.debug("loaded lender catalogue %s v%s", tenant_id, catalogue.version)
    return catalogue
