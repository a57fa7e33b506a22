"""API tests run against SQLite and (marked integration) a real PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

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


async def new_conversation(client: httpx.AsyncClient, **body: object) -> str:
    response = await client.post("/v1/conversations", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
