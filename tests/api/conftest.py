"""API tests run against SQLite and (marked integration) a real PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from tests.api.care_helpers import BACKENDS, app_on
from tests.conftest import SettingsFactory, running_app
from tests.helpers.services import plain_postgres_url, temporary_postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def backend_overrides(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    if request.param == "sqlite":
        yield {}
        return
    with temporary_postgres_database() as url:
        yield {"database_url": url, "checkpoint_url": plain_postgres_url(url)}


@pytest.fixture
async def client(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(**backend_overrides)) as api:
        yield api


@pytest_asyncio.fixture(
    scope="module",
    loop_scope="module",
    params=[BACKENDS[0], pytest.param(BACKENDS[1], marks=pytest.mark.integration)],
)
async def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, kb_index_dir: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """One app per test module (on SQLite and on PostgreSQL), shared by its tests."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    async with app_on(request.param, tmp_path_factory.mktemp(name), kb_index_dir) as client:
        yield client


async def new_conversation(client: httpx.AsyncClient, **body: object) -> str:
    response = await client.post("/v1/conversations", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
