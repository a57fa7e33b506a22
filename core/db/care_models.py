"""Tables of the care and money tools: consents, payment plans, insurance quotes, referrals,
readings, alerts, tasks, task completions and care plans.

Every row carries ``tenant_id``; queries always filter on it. Timestamps go through
``UTCDateTime``: stored in UTC and always read back time-zone aware (SQLite itself keeps no
offset and would hand back naive datetimes).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base, new_id, utcnow
from core.db.types import UTCDateTime


def _tenant() -> Mapped[str]:
    return mapped_column(ForeignKey("tenants.id"), index=True)


def _patient() -> Mapped[str]:
    return mapped_column(ForeignKey("patients.id"), index=True)


def _created() -> Mapped[datetime]:
    return mapped_column(UTCDateTime, default=utcnow)


class ConsentRecord(Base):
    """One grant or revocation; the latest row per (patient, purpose) is the current state."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_patient_purpose", "patient_id", "purpose", "recorded_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant()
    patient_id: Mapped[str] = _patient()
    purpose: Mapped[str] = mapped_column(String(64))
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = _created()


class PaymentPlanRecord(Base):
    __tablename__ = "payment_plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant()
    patient_id: Mapped[str | None] = mapped_column(
        ForeignKey("patients.id"), nullable=True, index=True
    )
    conversation_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    source: Mapped[str] = mapped_column(String(16))  # api | chat
    catalogue_version: Mapped[int] = mapped_column(Integer)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = _created()


class InsuranceQuoteRecord(Base):
    __tablename__ = "insurance_quotes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant()
    patient_id: Mapped[str | None] = mapped_column(
        ForeignKey("patients.id"), nullable=True, index=True
    )
    conversation_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    source: Mapped[str] = mapped_column(String(16))
    catalogue_version: Mapped[int] = mapped_column(Integer)
    quote_ids: Mapped[list[Any]] = mapped_column(JSON)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = _created()


class ReferralRecord(Base):
    __tablename__ = "referrals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant()
    patient_id: Mapped[str] = _patient()
    conversation_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    facility_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _created()


class ReadingRecord(Base):
    """A reading as normalised by ``tools.readings``; implausible ones are kept, flagged."""

    __tablename__ = "readings"
    __table_args__ = (Index("ix_readings_patient_measured", "patient_id", "measured_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant()
    patient_id: Mapped[str] = _patient()
    conversation_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source_device: Mapped[str | None] = mapped_column(String(128), nullable=True)
    unit: Mapped[str] = mapped_column(String(16))
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    display: Mapped[dict[str, Any]] = mapped_column(JSON)
    raw_unit: Mapped[str] = mapped_column(String(32))
    raw_values: Mapped[dict[str, Any]] = mapped_column(JSON)
    meal_context: Mapped[str | None] = mapped_column(String(16), nullable=True)
    needs_remeasure: Mapped[bool] = mapped_column(Boolean)
    plausibility_reasons: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = _created()


class AlertRecord(Base):
    """An alert for the health manager; repeats within the window merge into it (``count``)."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_tenant_status", "tenant_id", "status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant()
    patient_id: Mapped[str] = _patient()
    reading_id: Mapped[str | None] = mapped_column(ForeignKey("readings.id"), nullable=True)
    rule_code: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    patient_message: Mapped[dict[str, Any]] = mapped_column(JSON)
    manager_message: Mapped[dict[str, Any]] = mapped_column(JSON)
    fact_ids: Mapped[list[Any]] = mapped_column(JSON)
    rules_version: Mapped[int] = mapped_column(Integer)
    acknowledged_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    assigned_to: Mapped[str | None] = mapped_column(String(128), nullable=True)
    """The console account (username) that owns the follow-up; ``None``: unassigned."""
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _created()


class CarePlanRecord(Base):
    __tablename__ = "care_plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant()
    patient_id: Mapped[str] = _patient()
    template_id: Mapped[str] = mapped_column(String(64))
    start: Mapped[date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    templates_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = _created()


class TaskRecord(Base):
    """A health task: the ``tools.tasks.TaskDraft`` as JSON plus its owner and status."""

    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant()
    patient_id: Mapped[str] = _patient()
    care_plan_id: Mapped[str | None] = mapped_column(
        ForeignKey("care_plans.id"), nullable=True, index=True
    )
    conversation_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    task_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active")
    draft: Mapped[dict[str, Any]] = mapped_column(JSON)
    reminders_scheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _created()


class TaskCompletionRecord(Base):
    __tablename__ = "task_completions"
    __table_args__ = (
        UniqueConstraint("task_id", "client_completion_id", name="uq_completion_client_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = _tenant()
    patient_id: Mapped[str] = _patient()
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    client_completion_id: Mapped[str] = mapped_column(String(128))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    points: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = _created()
