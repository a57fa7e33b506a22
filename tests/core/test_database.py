from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from core.db.models import AuditEntry, Conversation, Message, Patient, Tenant
from core.db.session import make_engine, make_sessionmaker, upgrade_database_async
from tests.helpers.services import temporary_postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    else:
        with temporary_postgres_database() as url:
            yield url


async def test_migrations_constraints_and_append_only_audit(database_url: str) -> None:
    await upgrade_database_async(database_url)
    await upgrade_database_async(database_url)  # idempotent
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    try:
        async with sessions() as session:
            session.add(Tenant(id="t1", name="T1"))
            await session.flush()
            patient = Patient(tenant_id="t1", external_ref="p1", profile={})
            session.add(patient)
            await session.flush()
            conversation = Conversation(tenant_id="t1", patient_id=patient.id)
            session.add(conversation)
            await session.flush()
            session.add(
                Message(
                    conversation_id=conversation.id,
                    role="patient",
                    content="a",
                    client_message_id="m1",
                )
            )
            entry = AuditEntry(
                tenant_id="t1",
                actor="test",
                action="created",
                entity_type="conversation",
                entity_id=conversation.id,
            )
            session.add(entry)
            await session.commit()
            conversation_id, entry_id = conversation.id, entry.id

        async with sessions() as session:
            session.add(
                Message(
                    conversation_id=conversation_id,
                    role="patient",
                    content="b",
                    client_message_id="m1",
                )
            )
            with pytest.raises(IntegrityError):
                await session.commit()

        for statement in (
            text("UPDATE audit_log SET actor = 'mallory' WHERE id = :id"),
            text("DELETE FROM audit_log WHERE id = :id"),
        ):
            async with sessions() as session:
                with pytest.raises(DBAPIError, match="append-only"):
                    await session.execute(statement, {"id": entry_id})
                    await session.commit()
    finally:
        await engine.dispose()
