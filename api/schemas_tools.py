"""HTTP bodies of the money tools, triage and referrals (tables live in core.db.care_models)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from tools.finance import PaymentPlanResult
from tools.finance.schemas import PaymentPlanRequest
from tools.insurance import QuoteRequest, QuoteResult
from tools.referrals import ReferralPlan, ReferralRequest, ReferralStatus

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
