"""Factories for insurance-quote tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tools.insurance import (
    WEARABLE_PRICING_PURPOSE,
    InsuranceCatalogue,
    QuoteRequest,
    QuoteResult,
    compute_quotes,
    load_condition_vocabulary,
    load_insurance_catalogue,
)

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
WEARABLE_CONSENT = frozenset({WEARABLE_PRICING_PURPOSE})


def quote(
    catalogue: InsuranceCatalogue | None = None,
    *,
    consented: frozenset[str] = frozenset(),
    now: datetime = NOW,
    **request: Any,
) -> QuoteResult:
    fields: dict[str, Any] = {"age": 45, "sex": "male", "city_tier": 2}
    fields.update(request)
    return compute_quotes(
        QuoteRequest.model_validate(fields),
        catalogue or load_insurance_catalogue("default"),
        load_condition_vocabulary(),
        consented_purposes=consented,
        now=now,
    )


def by_product(result: QuoteResult) -> dict[str, Any]:
    return {q.product_id: q for q in result.quotes}
