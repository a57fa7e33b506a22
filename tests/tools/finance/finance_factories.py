"""Factories for payment-plan tests: the shipped catalogues and hand-built products."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tools.finance import (
    LenderCatalogue,
    LenderProduct,
    PaymentPlanRequest,
    PaymentPlanResult,
    compute_payment_plans,
    load_lender_catalogue,
)

RATIO = Decimal("0.30")
CAP = Decimal("0.24")


def make_product(pricing: dict[str, Any], **overrides: Any) -> LenderProduct:
    fields: dict[str, Any] = {
        "id": "test-product",
        "lender": "test-lender",
        "name_zh": "测试分期（示例）",
        "name_en": "Test instalments (sample)",
        "pricing": pricing,
        "terms": [3, 6, 12, 24, 36, 60],
        "min_amount": "1",
        "max_amount": "1000000",
        "early_repayment_zh": "可随时提前还款（示例条款）。",
        "early_repayment_en": "Early repayment at any time (sample terms).",
    }
    fields.update(overrides)
    return LenderProduct.model_validate(fields)


def make_catalogue(*products: LenderProduct, **overrides: Any) -> LenderCatalogue:
    fields: dict[str, Any] = {
        "version": 1,
        "tenant_id": "test",
        "lenders": [{"id": "test-lender", "name_zh": "测试银行", "name_en": "Test Bank"}],
        "products": [p.model_dump() for p in products],
        "micro_tier_max_amount": "0.01",
    }
    fields.update(overrides)
    return LenderCatalogue.model_validate(fields)


def plans(catalogue: LenderCatalogue | None = None, **request: Any) -> PaymentPlanResult:
    return compute_payment_plans(
        PaymentPlanRequest.model_validate(request),
        catalogue or load_lender_catalogue("default"),
        max_debt_ratio=RATIO,
        apr_cap=CAP,
    )
