"""Treatment payment plans: lender catalogues, exact schedules, APR by IRR, affordability."""

from tools.finance.catalogue import LenderCatalogue, LenderProduct, load_lender_catalogue
from tools.finance.plans import compute_payment_plans, payment_plans, payment_plans_tool
from tools.finance.schemas import (
    FinancingBreakdown,
    PaymentPlanOption,
    PaymentPlanRequest,
    PaymentPlanResult,
    ScheduleRow,
    Suggestion,
)

__all__ = [
    "FinancingBreakdown",
    "LenderCatalogue",
    "LenderProduct",
    "PaymentPlanOption",
    "PaymentPlanRequest",
    "PaymentPlanResult",
    "ScheduleRow",
    "Suggestion",
    "compute_payment_plans",
    "load_lender_catalogue",
    "payment_plans",
    "payment_plans_tool",
]
