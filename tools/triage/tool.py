"""The triage tool as the agent sees it."""

from __future__ import annotations

from tools.registry import ToolContext, ToolSpec
from tools.triage.engine import triage
from tools.triage.models import TriageRequest, TriageResult


def triage_symptoms(args: TriageRequest, ctx: ToolContext) -> TriageResult:
    """Decide how urgent a symptom description is (emergency: call 120 now / urgent: doctor
    within 24 hours / routine: within days to a week / self_care), which department and
    facility level fits, what to do now, and which questions would change the answer.
    Never a diagnosis. Pass the patient's own words as ``text``; add age, sex, pregnancy,
    known conditions and measured vitals when known."""
    # The answer language follows the text unless ``language`` is given.
    vote = ctx.red_flags(args.text) if ctx.red_flags is not None else None
    return triage(args, semantic=vote)


triage_tool: ToolSpec[TriageRequest, TriageResult] = ToolSpec(
    name="triage_symptoms",
    description=(triage_symptoms.__doc__ or "").strip(),
    input_model=TriageRequest,
    output_model=TriageResult,
    fn=triage_symptoms,
    card_type="triage",
)
