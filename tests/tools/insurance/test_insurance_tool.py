"""The agent tool: spec metadata, context tenant, consent from the context."""

from __future__ import annotations

from decimal import Decimal

import pytest
from insurance_factories import NOW, WEARABLE_CONSENT

from core.errors import ConsentMissing, ValidationFailed
from tools.insurance import QuoteResult, insurance_quotes_tool
from tools.registry import ToolContext


def test_tool_spec() -> None:
    assert insurance_quotes_tool.name == "quote_insurance"
    assert insurance_quotes_tool.card_type == "insurance_quote"
    function = insurance_quotes_tool.json_schema()["function"]
    assert "genetic" in function["description"]
    assert {"age", "sex", "city_tier"} <= set(function["parameters"]["required"])


def test_tool_uses_context_tenant_clock_and_consent() -> None:
    args = {
        "age": 45,
        "sex": "male",
        "city_tier": 2,
        "product_ids": ["shi-critical-illness"],
        "wearable_summary": {"avg_daily_steps": 9000, "days_covered": 40},
    }
    ctx = ToolContext(tenant_id="insurer-demo", consented_purposes=WEARABLE_CONSENT, now=NOW)
    result = insurance_quotes_tool.call(args, ctx)
    assert isinstance(result, QuoteResult)
    (q,) = result.quotes
    assert q.annual_premium == Decimal("1400.00")  # no wearable bands on this product
    assert str(q.valid_until) == "2026-12-07"
    with pytest.raises(ConsentMissing):
        insurance_quotes_tool.call(args, ToolContext(tenant_id="insurer-demo", now=NOW))


def test_malformed_arguments_are_a_validation_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        insurance_quotes_tool.call({"age": 45, "sex": "robot", "city_tier": 2}, ToolContext())
    assert caught.value.field == "sex"
