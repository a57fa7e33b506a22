"""Every tool the agent may call, in one registry (tenants enable a subset)."""

from __future__ import annotations

from tools.finance.plans import payment_plans_tool
from tools.insurance.quotes import insurance_quotes_tool
from tools.readings.tool import record_reading_tool
from tools.referrals.tool import referral_tool
from tools.registry import ToolRegistry
from tools.results.tool import explain_results_tool
from tools.tasks.tool import create_task_tool
from tools.triage.tool import triage_tool

# Tool names, for code outside ``tools/`` that routes on a tool (never a string literal there).
PAYMENT_PLANS = payment_plans_tool.name
INSURANCE_QUOTE = insurance_quotes_tool.name
TRIAGE = triage_tool.name
REFERRAL = referral_tool.name
RECORD_READING = record_reading_tool.name
HEALTH_TASK = create_task_tool.name
EXPLAIN_RESULTS = explain_results_tool.name


def default_registry() -> ToolRegistry:
    return ToolRegistry(
        [
            payment_plans_tool,
            insurance_quotes_tool,
            triage_tool,
            referral_tool,
            record_reading_tool,
            create_task_tool,
            explain_results_tool,
        ]
    )
