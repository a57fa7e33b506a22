"""The service as an eval target: the real app, driven over ``/v1`` in this process.

The harness in ``evals/`` treats the system under test as a black box behind HTTP, live or in
process alike: here the app is built (its lifespan runs: migrations, index, seed, warm-up),
every seeded tenant gets an API key of its own, and the HTTP sampler talks to the app through
``httpx.ASGITransport``. ``evals`` never imports ``api``; the CLI hands this opener to it.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from agent.llm.factory import make_primary
from api.app import create_app
from api.container import Container
from api.services.principals import create_api_key
from api.services.records import SEED_TENANTS
from core.settings import Settings, get_settings
from evals.provenance import Provenance, in_process_provenance
from evals.runner import RunConfig
from evals.samplers import CountingProvider, HttpSampler, Sampler
from evals.session import open_http

EVAL_RATE_LIMIT = 1_000_000
IN_PROCESS_URL = "http://hm.in-process"


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
            "key_rate_limit_per_minute": EVAL_RATE_LIMIT,
            "tenant_rate_limit_per_minute": EVAL_RATE_LIMIT,
        }
    )


async def _tenant_keys(c: Container) -> dict[str, str]:
    keys = {}
    async with c.sessions() as session:
        for tenant_id in SEED_TENANTS:
            created = await create_api_key(session, tenant_id, name="eval run")
            keys[tenant_id] = created.key
        await session.commit()
    return keys


@asynccontextmanager
async def open_in_process(settings: Settings) -> AsyncIterator[tuple[Sampler, Provenance]]:
    with tempfile.TemporaryDirectory(prefix="hm-eval-") as tmp:
        run_settings = eval_settings(settings, Path(tmp))
        app = create_app(run_settings, provider=CountingProvider(make_primary(run_settings)))
        async with app.router.lifespan_context(app):
            container: Container = app.state.container
            keys = await _tenant_keys(container)
            sampler = HttpSampler(
                IN_PROCESS_URL,
                api_key=keys["default"],
                tenant_keys=keys,
                transport=httpx.ASGITransport(app=app),
            )
            try:
                yield (
                    sampler,
                    in_process_provenance(run_settings, container.knowledge.config.index_dir),
                )
            finally:
                await sampler.aclose()


@asynccontextmanager
async def open_target(
    config: RunConfig, settings: Settings | None = None
) -> AsyncIterator[tuple[Sampler, Provenance]]:
    """A live service when the run names one (``--base-url``), else this checkout in process."""
    settings = settings or get_settings()
    if config.base_url:
        async with open_http(config, settings) as opened:
            yield opened
        return
    async with open_in_process(settings) as opened:
        yield opened
