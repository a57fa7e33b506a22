"""Shared fixtures: one knowledge-base index per session, per-test settings and apps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.settings import Settings


@pytest.fixture(scope="session")
def kb_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus ingested once per session (vectors come from the shipped cache)."""
    from knowledge.config import KnowledgeConfig
    from knowledge.ingest import ingest

    index_dir = tmp_path_factory.mktemp("kb")
    ingest(KnowledgeConfig(index_dir=index_dir))
    return index_dir


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path, kb_index_dir: Path) -> SettingsFactory:
    def factory(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "environment": "test",
            "data_dir": tmp_path / "data",
            "kb_index_dir": kb_index_dir,
            "redis_url": None,
            "database_url": None,
            "checkpoint_url": None,
            "llm_provider": "offline",
            "reviewer_provider": "offline",
            "console_stream_s": 0.05,
            "llm_backoff_s": 0.01,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return factory


@asynccontextmanager
async def running_app(settings: Settings, **kwargs: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with its lifespan, reached over ASGI by an httpx client that sends a key of
    the ``default`` tenant (``tests.helpers.auth`` gives other principals' headers)."""
    from api.app import create_app
    from tests.helpers.auth import bearer, new_key

    app = create_app(settings, **kwargs)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            client.app = app  # type: ignore[attr-defined]
            key = await new_key(client, "default")
            client.tenant_keys = {"default": key}  # type: ignore[attr-defined]
            client.headers.update(bearer(key))
            client.staff_clients = {}  # type: ignore[attr-defined]
            try:
                yield client
            finally:
                for staff in client.staff_clients.values():  # type: ignore[attr-defined]
                    await staff.aclose()
