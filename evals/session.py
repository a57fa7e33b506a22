"""Open a live service under test over HTTP (the in-process target is the API's own:
``api.eval_target``, handed to the pipeline by the CLI, so the harness never imports the
system it measures)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.settings import Settings, get_settings
from evals.provenance import Provenance, http_provenance
from evals.runner import RunConfig
from evals.samplers import HttpSampler, Sampler


@asynccontextmanager
async def open_http(
    config: RunConfig, settings: Settings | None = None
) -> AsyncIterator[tuple[Sampler, Provenance]]:
    if not config.base_url:
        raise ValueError(
            "no --base-url: an in-process run needs the service's own opener "
            "(api.eval_target.open_target)"
        )
    settings = settings or get_settings()
    key = settings.api_key.get_secret_value() if settings.api_key else None
    sampler = HttpSampler(config.base_url, api_key=key, timeout_s=config.timeout_s)
    try:
        yield sampler, http_provenance(config.base_url)
    finally:
        await sampler.aclose()
