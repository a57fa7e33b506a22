"""The referral tool as the agent sees it. Persisting the referral is the caller's job."""

from __future__ import annotations

from tools.referrals.models import ReferralPlan, ReferralRequest
from tools.referrals.planner import plan_referral
from tools.registry import ToolContext, ToolSpec


def create_referral(args: ReferralRequest, ctx: ToolContext) -> ReferralPlan:
    """Plan a referral from a triage result (or an urgency level and a department code) and
    where the patient lives: the department, the facility level and a facility from the
    directory, escalating when a nearer facility lacks the department and sending stable
    chronic follow-up back to the community. Emergencies get the 120 instruction instead.
    Flags a green channel when the patient's insurance includes one, and cross-region care."""
    if args.language is None:
        args = args.model_copy(update={"language": ctx.language})
    return plan_referral(args)


referral_tool: ToolSpec[ReferralRequest, ReferralPlan] = ToolSpec(
    name="create_referral",
    description=(create_referral.__doc__ or "").strip(),
    input_model=ReferralRequest,
    output_model=ReferralPlan,
    fn=create_referral,
    card_type="referral",
    record="referral",
)
