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
