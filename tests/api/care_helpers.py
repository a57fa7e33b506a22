"""Helpers of the care and money API tests: one app per module and backend, row counts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from api.container import Container
from core.db.models import Base
from core.settings import Settings
from tests.conftest import running_app
from tests.helpers.auth import tenant_headers
from tests.helpers.services import plain_postgres_url, temporary_postgres_database

BACKENDS = ["sqlite", "postgresql"]
ZH = {"Accept-Language": "zh-CN"}


def care_settings(data_dir: Path, kb_index_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": data_dir,
        "kb_index_dir": kb_index_dir,
        "redis_url": None,
        "database_url": None,
        "checkpoint_url": None,
        "llm_provider": "offline",
        "reviewer_provider": "offline",
        "console_stream_s": 0.05,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def app_on(
    backend: str, data_dir: Path, kb_index_dir: Path, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app on SQLite or on a fresh PostgreSQL database."""
    if backend == "sqlite":
        async with running_app(care_settings(data_dir, kb_index_dir, **overrides)) as api:
            yield api
        return
    with temporary_postgres_database() as url:
        settings = care_settings(
            data_dir,
            kb_index_dir,
            database_url=url,
            checkpoint_url=plain_postgres_url(url),
            **overrides,
        )
        async with running_app(settings) as api:
            yield api


async def other_tenant(api: httpx.AsyncClient) -> dict[str, str]:
    """Headers of another tenant's back end (a key of ``insurer-demo``)."""
    return await tenant_headers(api, "insurer-demo")


def container(api: httpx.AsyncClient) -> Container:
    found: Container = api.app.state.container  # type: ignore[attr-defined]
    return found


async def count_rows(api: httpx.AsyncClient, table: str, **where: object) -> int:
    """Rows of ``table`` matching ``where`` (column = value)."""
    model = Base.metadata.tables[table]
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(model.c[column] == value)
    async with container(api).sessions() as session:
        return int(await session.scalar(query) or 0)


async def new_patient(
    api: httpx.AsyncClient,
    ref: str,
    *,
    conditions: list[str] | None = None,
    headers: dict[str, str] | None = None,
    region: str | None = None,
) -> str:
    profile: dict[str, Any] = {"conditions": conditions or []}
    if region:
        profile["region"] = region
    response = await api.post(
        "/v1/patients", json={"patient_ref": ref, "profile": profile}, headers=headers or {}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"], error
    return error
