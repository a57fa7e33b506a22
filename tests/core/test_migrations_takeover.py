"""Migration 0007 (conversation takeover, alert assignee) on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect

from core.db.models import Base
from core.db.session import alembic_config, upgrade_database
from tests.helpers.services import temporary_postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if request.param == "sqlite":
        path = tmp_path / "m.db"
        yield f"sqlite+aiosqlite:///{path}", f"sqlite:///{path}"
    else:
        with temporary_postgres_database() as url:
            yield url, url


def test_takeover_columns_match_the_model_and_downgrade(urls: tuple[str, str]) -> None:
    url, sync_url = urls
    upgrade_database(url)
    engine = create_engine(sync_url)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("conversations")}
        assert columns == set(Base.metadata.tables["conversations"].columns.keys())
        assert {"taken_over_by", "taken_over_at"} <= columns
        alerts = {c["name"] for c in inspect(engine).get_columns("alerts")}
        assert alerts == set(Base.metadata.tables["alerts"].columns.keys())
        command.downgrade(alembic_config(url), "0006")
        columns = {c["name"] for c in inspect(engine).get_columns("conversations")}
        assert "taken_over_by" not in columns and "taken_over_at" not in columns
        assert "assigned_to" not in {c["name"] for c in inspect(engine).get_columns("alerts")}
        upgrade_database(url)
        columns = {c["name"] for c in inspect(engine).get_columns("conversations")}
        assert "taken_over_by" in columns
    finally:
        engine.dispose()
