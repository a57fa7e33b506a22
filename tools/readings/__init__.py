"""Wearable and hand-entered readings: validation, unit normalisation, plausibility, alerts."""

from tools.readings.alerts import AlertDraft, evaluate_alerts
from tools.readings.dedupe import (
    AlertDecision,
    AlertMerge,
    ExistingAlert,
    default_window,
    merge_alerts,
)
from tools.readings.models import (
    AlertProfile,
    Bilingual,
    BloodPressureIn,
    GlucoseIn,
    HeartRateIn,
    NormalisedReading,
    PlausibilityResult,
    ReadingIn,
    SleepIn,
    SpO2In,
    StepsIn,
    WeightIn,
)
from tools.readings.normalise import normalise_reading
from tools.readings.plausibility import assess_plausibility
from tools.readings.rules import Severity, load_alert_rules
from tools.readings.tool import (
    ReadingAssessment,
    RecordReadingArgs,
    assess_reading,
    record_reading_tool,
)

__all__ = [
    "AlertDecision",
    "AlertDraft",
    "AlertMerge",
    "AlertProfile",
    "Bilingual",
    "BloodPressureIn",
    "ExistingAlert",
    "GlucoseIn",
    "HeartRateIn",
    "NormalisedReading",
    "PlausibilityResult",
    "ReadingAssessment",
    "ReadingIn",
    "RecordReadingArgs",
    "Severity",
    "SleepIn",
    "SpO2In",
    "StepsIn",
    "WeightIn",
    "assess_plausibility",
    "assess_reading",
    "default_window",
    "evaluate_alerts",
    "load_alert_rules",
    "merge_alerts",
    "normalise_reading",
    "record_reading_tool",
]
