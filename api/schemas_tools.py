"""HTTP bodies of the money tools, triage and referrals (tables live in core.db.care_models)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from core.bounds import ShortText
from tools.finance import PaymentPlanResult
from tools.finance.schemas import PaymentPlanRequest
from tools.insurance import QuoteRequest, QuoteResult
from tools.referrals import ReferralPlan, ReferralRequest, ReferralStatus
from tools.triage import TriageRequest
from tools.triage.models import Vitals

MAX_TRIAGE_CHARS = 2000
"""Longest complaint the triage endpoint takes (the engine is not linear in the length)."""

PatientId = Field(None, min_length=1, max_length=32, description="a patient of the caller's tenant")


class PaymentPlanCreate(PaymentPlanRequest):
    """The payment-plan tool's request, plus the patient it is for (optional)."""

    model_config = ConfigDict(extra="forbid")

    patient_id: str | None = PatientId


class PaymentPlanPublic(PaymentPlanResult):
    """The tool's result as stored: ``id`` names the stored record."""

    id: str
    patient_id: str | None
    created_at: datetime


class InsuranceQuoteCreate(QuoteRequest):
    """The quote tool's request; the patient's consents decide what may be used for pricing."""

    model_config = ConfigDict(extra="forbid")

    patient_id: str | None = PatientId


class InsuranceQuotePublic(QuoteResult):
    id: str
    patient_id: str | None
    created_at: datetime


class VitalsIn(Vitals):
    """Vitals as the HTTP boundary takes them: finite and physically bounded."""

    sbp: float | None = Field(None, le=1000, allow_inf_nan=False, description="systolic, mmHg")
    dbp: float | None = Field(None, le=1000, allow_inf_nan=False, description="diastolic, mmHg")
    glucose_mmol: float | None = Field(
        None, le=1000, allow_inf_nan=False, description="blood glucose, mmol/L"
    )
    temperature_c: float | None = Field(
        None, le=100, allow_inf_nan=False, description="body temperature, °C"
    )
    spo2: float | None = Field(None, le=100, allow_inf_nan=False, description="oxygen saturation")
    heart_rate: float | None = Field(
        None, le=1000, allow_inf_nan=False, description="beats per minute"
    )


class TriageCreate(TriageRequest):
    """The triage tool's request, bounded at the boundary."""

    text: str = Field(
        max_length=MAX_TRIAGE_CHARS,
        description="the complaint in the patient's or clinician's own words",
    )
    age: float | None = Field(None, ge=-1000, le=1000, allow_inf_nan=False, description="years")
    age_months: float | None = Field(
        None, ge=-12000, le=12000, allow_inf_nan=False, description="age in months (infants)"
    )
    pregnant_weeks: float | None = Field(
        None, ge=-1000, le=1000, allow_inf_nan=False, description="weeks of pregnancy"
    )
    conditions: list[ShortText] = Field(
        default_factory=list, max_length=50, description="known conditions"
    )
    vitals: VitalsIn | None = None


class ReferralCreate(ReferralRequest):
    """A referral for one patient of the caller's tenant (``patient_id`` required)."""

    model_config = ConfigDict(extra="forbid")


class ReferralPublic(BaseModel):
    id: str | None = Field(
        description="null when the level is an emergency: call 120, no referral is created"
    )
    patient_id: str
    status: ReferralStatus | None
    plan: ReferralPlan
    created_at: datetime | None
    updated_at: datetime | None


class ReferralStatusUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(min_length=1, max_length=32, description="sent, accepted, completed...")
    note: str | None = Field(None, max_length=500)


class ConsentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    granted: bool
    recorded_by: str = Field("patient", min_length=1, max_length=128)


class ConsentPublic(BaseModel):
    purpose: str
    granted: bool
    recorded_by: str
    recorded_at: datetime


class ConsentState(BaseModel):
    """Current state per purpose, and every grant or revocation in order."""

    patient_id: str
    consented_purposes: list[str]
    current: list[ConsentPublic]
    history: list[ConsentPublic]
