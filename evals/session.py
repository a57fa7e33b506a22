"""Open the system under test for a run: the in-process container or a live service."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from agent.llm.factory import make_primary
from api.container import build_container
from api.services.records import seed_tenants
from core.settings import Settings, get_settings
from evals.provenance import Provenance, http_provenance, in_process_provenance
from evals.runner import RunConfig
from evals.samplers import CountingProvider, HttpSampler, InProcessSampler, Sampler

EVAL_RATE_LIMIT = 1_000_000


def eval_settings(base: Settings, data_dir: Path) -> Settings:
    """The base settings with a throw-away data dir (SQLite, checkpoints), the base's own
    knowledge-base index, in-memory coordination and no rate limit to trip over."""
    return base.model_copy(
        update={
            "environment": "development" if base.environment == "production" else base.environment,
            "data_dir": data_dir,
            "kb_index_dir": base.resolved_kb_index_dir.resolve(),
            "database_url": None,
            "checkpoint_url": None,
            "redis_url": None,
            "rate_limit_per_minute": EVAL_RATE_LIMIT,
        }
    )


@asynccontextmanager
async def open_in_process(settings: Settings) -> AsyncIterator[tuple[Sampler, Provenance]]:
    with tempfile.TemporaryDirectory(prefix="hm-eval-") as tmp:
        run_settings = eval_settings(settings, Path(tmp))
        provider = CountingProvider(make_primary(run_settings))
        async with build_container(run_settings, provider=provider) as c:
            await asyncio.to_thread(c.knowledge.ensure_index)
            async with c.sessions() as session:
                await seed_tenants(session)
            await asyncio.to_thread(c.knowledge.retriever)
            yield (
                InProcessSampler(c),
                in_process_provenance(run_settings, c.knowledge.config.index_dir),
            )


@asynccontextmanager
async def open_sampler(
    config: RunConfig, settings: Settings | None = None
) -> AsyncIterator[tuple[Sampler, Provenance]]:
    settings = settings or get_settings()
    if config.base_url:
        key = settings.api_key.get_secret_value() if settings.api_key else None
        sampler = HttpSampler(config.base_url, api_key=key, timeout_s=config.timeout_s)
        try:
            yield sampler, http_provenance(config.base_url)
        finally:
            await sampler.aclose()
        return
    async with open_in_process(settings) as opened:
        yield opened
