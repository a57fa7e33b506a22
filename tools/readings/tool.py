"""The ``record_reading`` tool: validate, normalise, check plausibility, threshold and trend alerts.

The trend rules (rapid weight gain, repeated night lows) need the patient's earlier readings:
chat turns hand them to the tool in ``ToolContext.readings``, the HTTP endpoint passes them to
``assess_reading``; either way the assessment returned is the one stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from tools.readings.alerts import AlertDraft, evaluate_alerts, history_around
from tools.readings.interpret import Interpretation, interpret_reading
from tools.readings.models import (
    AlertProfile,
    Bilingual,
    NormalisedReading,
    PlausibilityResult,
    ReadingIn,
    TimeZoneName,
)
from tools.readings.normalise import normalise_reading
from tools.readings.plausibility import assess_plausibility
from tools.registry import ToolContext, ToolSpec


class RecordReadingArgs(BaseModel):
    reading: ReadingIn
    conditions: list[str] = Field(
        default_factory=list,
        description="Known conditions, e.g. 'diabetes', 'heart_failure', 'copd'.",
    )
    timezone: TimeZoneName = Field(default="Asia/Shanghai", description="Patient's IANA time zone.")


class ReadingAssessment(BaseModel):
    reading: NormalisedReading
    plausibility: PlausibilityResult
    alerts: list[AlertDraft]
    interpretation: Interpretation | None = Field(
        default=None, description="The guideline band the reading falls in and what to do."
    )
    message: Bilingual = Field(description="What to tell the patient about this reading.")


def _summary(
    plausibility: PlausibilityResult,
    alerts: list[AlertDraft],
    interpretation: Interpretation | None,
) -> Bilingual:
    """The plausibility warning when the reading looks wrong; the alert's message (what to do
    now) when one fires; otherwise what the reading means."""
    if plausibility.message is not None:
        return plausibility.message
    if alerts:
        return alerts[0].patient_message
    if interpretation is not None:
        return interpretation.message
    return Bilingual(zh="读数已记录。", en="Reading recorded.")


def assess_reading(
    reading_in: ReadingIn,
    now: datetime,
    history: Sequence[NormalisedReading],
    profile: AlertProfile,
) -> ReadingAssessment:
    """The whole pipeline; raises ``ValidationFailed`` for bad input before anything is stored."""
    reading = normalise_reading(reading_in, now)
    plausibility = assess_plausibility(reading)
    alerts = evaluate_alerts(reading, history, profile)
    interpretation = (
        interpret_reading(reading, profile.conditions) if plausibility.plausible else None
    )
    return ReadingAssessment(
        reading=reading,
        plausibility=plausibility,
        alerts=alerts,
        interpretation=interpretation,
        message=_summary(plausibility, alerts, interpretation),
    )


def record_reading(args: RecordReadingArgs, ctx: ToolContext) -> ReadingAssessment:
    """Record a health reading (blood pressure, glucose with meal context, heart rate, SpO2,
    weight, steps or sleep) with its unit and time. Returns the normalised values, whether the
    patient should re-measure, and any alerts for the health manager."""
    stored = ctx.readings.profile if ctx.readings else AlertProfile(patient_id=ctx.patient_id)
    timezone = args.timezone if "timezone" in args.model_fields_set else stored.timezone
    profile = AlertProfile(
        patient_id=ctx.patient_id,
        conditions=stored.conditions | frozenset(args.conditions),
        timezone=timezone,
    )
    history: Sequence[NormalisedReading] = ctx.readings.history if ctx.readings else ()
    moment = normalise_reading(args.reading, ctx.now).measured_at
    return assess_reading(args.reading, ctx.now, history_around(history, moment), profile)


record_reading_tool: ToolSpec[RecordReadingArgs, ReadingAssessment] = ToolSpec(
    name="record_reading",
    description=(record_reading.__doc__ or "").replace("\n    ", " "),
    input_model=RecordReadingArgs,
    output_model=ReadingAssessment,
    fn=record_reading,
    card_type="reading",
    record="reading",
)
