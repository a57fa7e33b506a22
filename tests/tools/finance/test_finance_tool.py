"""The agent tool: spec metadata, facts from the facts table, raw-argument validation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import ValidationFailed
from knowledge.facts import fact_value
from tools.finance import PaymentPlanResult, payment_plans_tool
from tools.registry import ToolContext


def test_tool_spec() -> None:
    assert payment_plans_tool.name == "compute_payment_plans"
    assert payment_plans_tool.card_type == "payment_plan"
    schema = payment_plans_tool.json_schema()["function"]
    assert "APR" in schema["description"]
    assert {"total_cost", "monthly_income"} <= set(schema["parameters"]["required"])


def test_tool_reads_ratio_and_cap_from_the_facts_table() -> None:
    result = payment_plans_tool.call(
        {"total_cost": 100000, "insurance_coverage_ratio": 0.6, "monthly_income": 5000},
        ToolContext(tenant_id="default"),
    )
    assert isinstance(result, PaymentPlanResult)
    assert result.affordability.max_debt_ratio == Decimal(
        str(fact_value("finance.affordability.max_debt_ratio"))
    )
    assert result.apr_cap == Decimal(str(fact_value("finance.apr_cap")))


def test_tool_uses_the_context_tenant() -> None:
    result = payment_plans_tool.call(
        {"total_cost": 12000, "monthly_income": 9000}, ToolContext(tenant_id="insurer-demo")
    )
    assert result.tenant_id == "insurer-demo"
    assert {o.lender_name_en for o in result.options} == {"Sample Partner Bank"}


def test_malformed_arguments_are_a_validation_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        payment_plans_tool.call({"total_cost": "lots", "monthly_income": 5000}, ToolContext())
    assert caught.value.field == "total_cost"
