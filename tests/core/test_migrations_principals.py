"""Migrations 0004-0006 (principals, webhooks, policy versions) on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from core.db.models import Base
from core.db.session import alembic_config, upgrade_database
from tests.helpers.services import temporary_postgres_database

NEW_TABLES = (
    "api_keys",
    "user_accounts",
    "webhook_endpoints",
    "webhook_events",
    "webhook_deliveries",
    "webhook_attempts",
    "tenant_policy_versions",
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(the app's async URL, a sync URL for inspection)."""
    if request.param == "sqlite":
        path = tmp_path / "m.db"
        yield f"sqlite+aiosqlite:///{path}", f"sqlite:///{path}"
    else:
        with temporary_postgres_database() as url:
            yield url, url


def test_new_tables_match_the_models_keep_the_audit_triggers_and_downgrade(
    urls: tuple[str, str],
) -> None:
    url, sync_url = urls
    upgrade_database(url)
    engine = create_engine(sync_url)
    try:
        for table in (*NEW_TABLES, "audit_log", "tenants"):
            columns = {c["name"] for c in inspect(engine).get_columns(table)}
            assert columns == set(Base.metadata.tables[table].columns.keys()), table
        with engine.begin() as connection:
            kinds = dict(connection.execute(text("SELECT id, kind FROM tenants")).all())
            connection.execute(
                text(
                    "INSERT INTO audit_log (id, at, tenant_id, actor, principal, action, "
                    "entity_type, entity_id, details) VALUES ('a1', CURRENT_TIMESTAMP, 't', "
                    "'x', 'key:k@t', 'a', 'e', 'i', '{}')"
                )
            )
        assert kinds == {}  # tenants are seeded by the app, not by migrations
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text("UPDATE audit_log SET actor = 'y' WHERE id = 'a1'"))
        command.downgrade(alembic_config(url), "0003")
        names = set(inspect(engine).get_table_names())
        assert not names & set(NEW_TABLES)
        assert "principal" not in {c["name"] for c in inspect(engine).get_columns("audit_log")}
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_log WHERE id = 'a1'"))
        upgrade_database(url)  # and up again
        assert set(NEW_TABLES) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrating_is_safe_inside_a_running_loop(urls: tuple[str, str]) -> None:
    asyncio.run(asyncio.to_thread(upgrade_database, urls[0]))
