"""Referrals: facility directory (YAML), tiered-care planning and the status lifecycle."""

from tools.referrals.lifecycle import ALLOWED, ReferralStatus, transition
from tools.referrals.models import FacilitySummary, ReferralPlan, ReferralRequest
from tools.referrals.planner import plan_referral

__all__ = [
    "ALLOWED",
    "FacilitySummary",
    "ReferralPlan",
    "ReferralRequest",
    "ReferralStatus",
    "plan_referral",
    "transition",
]
