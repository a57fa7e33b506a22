"""Storage of the care and money records: migration 0002 matches the tables, timestamps come
back aware in UTC, and records made by tools during a chat turn are stored with the turn.

Each test runs on SQLite and (integration) on a fresh PostgreSQL database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.engine import Connection

from api.services.turn_records import store_tool_records
from core.db.care_models import AlertRecord, ReadingRecord
from core.db.models import Base, Conversation
from tests.api.care_helpers import container, count_rows, new_patient
from tools.finance import PaymentPlanRequest, payment_plans
from tools.readings import record_reading_tool
from tools.registry import ToolContext
from tools.tasks import create_task_tool

pytestmark = pytest.mark.asyncio(loop_scope="module")
CARE_TABLES = {
    "consents",
    "payment_plans",
    "insurance_quotes",
    "referrals",
    "readings",
    "alerts",
    "care_plans",
    "tasks",
    "task_completions",
}


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return list(compare_metadata(context, Base.metadata))


async def test_migration_creates_exactly_the_care_tables(api: httpx.AsyncClient) -> None:
    async with container(api).engine.connect() as connection:
        diffs = await connection.run_sync(_differences)

    def touches_care(diff: Any) -> bool:
        text = repr(diff)
        return any(f"'{table}'" in text or f"table={table}" in text for table in CARE_TABLES)

    assert [d for d in diffs if touches_care(d)] == []


async def test_timestamps_come_back_aware_in_utc(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "st-utc")
    shanghai = timezone(timedelta(hours=8))
    measured = datetime(2026, 1, 5, 23, 30, tzinfo=shanghai)
    async with container(api).sessions() as session:
        session.add(
            ReadingRecord(
                id="st-utc-reading",
                tenant_id="default",
                patient_id=patient,
                kind="heart_rate",
                measured_at=measured,
                unit="bpm",
                values={"value": 70.0},
                display={"value": 70.0},
                raw_unit="bpm",
                raw_values={"value": 70.0},
                needs_remeasure=False,
                plausibility_reasons=[],
            )
        )
        await session.commit()
    async with container(api).sessions() as session:
        row = await session.scalar(
            select(ReadingRecord).where(ReadingRecord.id == "st-utc-reading")
        )
        assert row is not None
        assert row.measured_at.tzinfo is not None and row.measured_at.utcoffset() == timedelta(0)
        assert row.measured_at == measured  # the same instant
        assert row.created_at.tzinfo is not None


async def test_tool_records_of_a_chat_turn_are_stored(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "st-chat", conditions=["diabetes"])
    now = datetime.now(UTC)
    ctx = ToolContext(tenant_id="default", patient_id=patient, now=now)
    plan_args = {
        "total_cost": "100000",
        "insurance_coverage_ratio": "0.6",
        "monthly_income": "5000",
    }
    plan = payment_plans(PaymentPlanRequest.model_validate(plan_args), ctx)
    reading_args = {
        "reading": {
            "kind": "glucose",
            "value": 2.6,
            "measured_at": (now - timedelta(minutes=3)).isoformat(),
        },
        "conditions": ["diabetes"],
    }
    reading = record_reading_tool.call(reading_args, ctx)
    task_args = {"task_type": "weight", "schedule": {"kind": "daily", "times": ["07:00"]}}
    task = create_task_tool.call(task_args, ctx)
    calls = [
        {
            "name": "compute_payment_plans",
            "arguments": plan_args,
            "ok": True,
            "result": plan.model_dump(mode="json"),
        },
        {
            "name": "record_reading",
            "arguments": reading_args,
            "ok": True,
            "result": reading.model_dump(mode="json"),
        },
        {
            "name": "create_health_task",
            "arguments": task_args,
            "ok": True,
            "result": task.model_dump(mode="json"),
        },
        {"name": "compute_payment_plans", "arguments": {}, "ok": False, "result": {"error": {}}},
        {"name": "triage_symptoms", "arguments": {"text": "头痛"}, "ok": True, "result": {}},
    ]
    async with container(api).sessions() as session:
        conversation = Conversation(tenant_id="default", patient_id=patient)
        session.add(conversation)
        await session.flush()
        outcomes = await store_tool_records(session, conversation, calls, container(api).tools)
        await session.commit()
        conversation_id = conversation.id
    assert [(o.change, o.record.rule_code) for o in outcomes] == [
        ("created", "glucose_severe_hypo")
    ]
    assert await count_rows(api, "payment_plans", conversation_id=conversation_id) == 1
    assert await count_rows(api, "payment_plans", patient_id=patient, source="chat") == 1
    assert await count_rows(api, "readings", conversation_id=conversation_id) == 1
    assert await count_rows(api, "tasks", conversation_id=conversation_id) == 1
    async with container(api).sessions() as session:
        alert = await session.scalar(select(AlertRecord).where(AlertRecord.patient_id == patient))
        assert alert is not None and alert.status == "open"
    tasks = (await api.get(f"/v1/patients/{patient}/tasks")).json()
    assert [t["task"]["task_type"] for t in tasks] == ["weight"]


async def test_a_chat_turn_stores_the_payment_plan_it_made(api: httpx.AsyncClient) -> None:
    created = await api.post("/v1/conversations", json={"patient_ref": "st-chat-turn"})
    conversation = created.json()
    message = "我要做透析，10万元，医保报60%，月收入5000，怎么分期？"
    turn = await api.post(
        f"/v1/conversations/{conversation['id']}/messages", json={"content": message}
    )
    assert turn.status_code == 200, turn.text
    assert "compute_payment_plans" in [c["name"] for c in turn.json()["tool_calls"]]
    stored = await count_rows(
        api,
        "payment_plans",
        conversation_id=conversation["id"],
        patient_id=conversation["patient_id"],
    )
    assert stored == 1
