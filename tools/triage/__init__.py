"""Symptom triage: rules as data (``rules.yaml``), evaluated by pure functions."""

from tools.triage.engine import triage
from tools.triage.models import (
    Department,
    FacilityLevel,
    Level,
    Measurements,
    RedFlag,
    TriageRequest,
    TriageResult,
    Vitals,
)

__all__ = [
    "Department",
    "FacilityLevel",
    "Level",
    "Measurements",
    "RedFlag",
    "TriageRequest",
    "TriageResult",
    "Vitals",
    "triage",
]
