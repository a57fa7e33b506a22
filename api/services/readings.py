"""Readings: always stored (implausible ones flagged for re-measurement), assessed against the
patient's history and profile, alerts merged and published to the health managers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas_care import ReadingPublic, ReadingRecorded
from api.services.alerts import (
    AlertOutcome,
    add_alerts_to_active_conversation,
    apply_alert_drafts,
    changes,
    publish_alerts,
)
from api.services.patients import alert_profile
from api.tenancy import PatientScope, require_patient
from core.db.care_models import ReadingRecord
from core.db.models import Patient
from core.errors import ValidationFailed
from tools.readings import (
    NormalisedReading,
    PlausibilityResult,
    ReadingAssessment,
    ReadingIn,
    assess_reading,
    normalise_reading,
)
from tools.readings.alerts import history_horizon
from tools.readings.models import PatientReadings, ReadingKind

HISTORY_LIMIT = 2000


def normalised(record: ReadingRecord) -> NormalisedReading:
    return NormalisedReading(
        kind=record.kind,
        measured_at=record.measured_at,
        source_device=record.source_device,
        unit=record.unit,
        values=record.values,
        display=record.display,
        raw_unit=record.raw_unit,
        raw_values=record.raw_values,
        meal_context=record.meal_context,
    )


async def _history(
    session: AsyncSession, tenant_id: str, patient_id: str, around: datetime
) -> list[NormalisedReading]:
    horizon = history_horizon()
    rows = await session.scalars(
        select(ReadingRecord)
        .where(
            ReadingRecord.tenant_id == tenant_id,
            ReadingRecord.patient_id == patient_id,
            ReadingRecord.measured_at >= around - horizon,
            ReadingRecord.measured_at <= around + horizon,
        )
        .order_by(ReadingRecord.measured_at)
        .limit(HISTORY_LIMIT)
    )
    return [normalised(r) for r in rows]


def store_reading(
    session: AsyncSession,
    *,
    tenant_id: str,
    patient_id: str,
    reading: NormalisedReading,
    plausibility: PlausibilityResult,
    conversation_id: str | None = None,
) -> ReadingRecord:
    record = ReadingRecord(
        tenant_id=tenant_id,
        patient_id=patient_id,
        conversation_id=conversation_id,
        kind=reading.kind,
        measured_at=reading.measured_at,
        source_device=reading.source_device,
        unit=reading.unit,
        values=dict(reading.values),
        display=dict(reading.display),
        raw_unit=reading.raw_unit,
        raw_values=dict(reading.raw_values),
        meal_context=reading.meal_context,
        needs_remeasure=plausibility.needs_remeasure,
        plausibility_reasons=list(plausibility.reasons),
        created_at=datetime.now(UTC),
    )
    session.add(record)
    return record


async def patient_readings(
    session: AsyncSession, patient: Patient, now: datetime
) -> PatientReadings:
    """The patient's alert profile and recent readings, for a chat turn's ``record_reading``."""
    history = await _history(session, patient.tenant_id, patient.id, now)
    return PatientReadings(profile=alert_profile(patient), history=tuple(history))


async def keep_assessment(
    session: AsyncSession,
    *,
    tenant_id: str,
    patient_id: str,
    assessment: ReadingAssessment,
    conversation_id: str | None = None,
) -> tuple[ReadingRecord, list[AlertOutcome]]:
    """Store an assessed reading and merge its alerts into the patient's (the one store of a
    reading, for the HTTP endpoint and chat turns alike; in the caller's transaction)."""
    record = store_reading(
        session,
        tenant_id=tenant_id,
        patient_id=patient_id,
        reading=assessment.reading,
        plausibility=assessment.plausibility,
        conversation_id=conversation_id,
    )
    await session.flush()
    outcomes = await apply_alert_drafts(
        session,
        tenant_id=tenant_id,
        patient_id=patient_id,
        reading_id=record.id,
        drafts=assessment.alerts,
    )
    return record, outcomes


async def record_reading(c: Container, scope: PatientScope, body: ReadingIn) -> ReadingRecorded:
    now = datetime.now(UTC)
    async with c.sessions() as session:
        patient = await require_patient(session, scope.tenant_id, scope.patient_id)
        checked = normalise_reading(body, now)  # refuses naive/future times before any query
        history = await _history(session, scope.tenant_id, scope.patient_id, checked.measured_at)
        assessment = assess_reading(body, now, history, alert_profile(patient))
        record, outcomes = await keep_assessment(
            session,
            tenant_id=scope.tenant_id,
            patient_id=scope.patient_id,
            assessment=assessment,
        )
        await session.flush()
        conversation_id = await add_alerts_to_active_conversation(
            session, scope.tenant_id, scope.patient_id, outcomes
        )
        await session.commit()
    delivered = await publish_alerts(c, scope.tenant_id, outcomes)
    if conversation_id is not None:
        await c.coordinator.publish(
            f"conversation:{conversation_id}", {"kind": "alert_message", "count": len(outcomes)}
        )
    return ReadingRecorded(
        reading=ReadingPublic.model_validate(record, from_attributes=True),
        plausibility=assessment.plausibility,
        alerts=changes(outcomes, delivered),
        message=assessment.message,
    )


async def list_readings(
    session: AsyncSession, scope: PatientScope, kind: ReadingKind | None, since: datetime | None
) -> list[ReadingPublic]:
    if since is not None and since.tzinfo is None:
        raise ValidationFailed(
            "since must include a time zone (e.g. 2026-05-01T00:00:00+08:00)",
            message_zh="since 必须带时区（例如 2026-05-01T00:00:00+08:00）",
            code="timezone_required",
            field="since",
        )
    query = select(ReadingRecord).where(
        ReadingRecord.tenant_id == scope.tenant_id, ReadingRecord.patient_id == scope.patient_id
    )
    if kind is not None:
        query = query.where(ReadingRecord.kind == kind)
    if since is not None:
        query = query.where(ReadingRecord.measured_at >= since)
    rows = await session.scalars(
        query.order_by(ReadingRecord.measured_at.desc()).limit(HISTORY_LIMIT)
    )
    return [ReadingPublic.model_validate(r, from_attributes=True) for r in rows]
