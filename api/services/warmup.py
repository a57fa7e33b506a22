"""Warm-up before the service says it is ready: the first turn must not pay for loading.

The first query embedding, the intent exemplars of the offline engine and the guards' compiled
patterns are loaded lazily; without this, the first turn after ``/readyz`` took 2-3 s.
"""

from __future__ import annotations

import asyncio
import logging
import time

from agent.llm.base import ChatMessage, ChatRequest
from agent.llm.offline.engine import OfflineChatProvider
from api.container import Container
from guardrails.input_guard import screen_input
from guardrails.output_checks import run_output_checks

log = logging.getLogger(__name__)


async def warm_up(c: Container) -> float:
    """Load what a turn needs; seconds it took. A remote model is never called for this."""
    started = time.perf_counter()
    retriever = c.knowledge.retriever()
    await asyncio.to_thread(retriever.search, "高血压患者每天吃多少盐合适", 3)
    # the red-flag exemplars, then one vote: the first turn must not pay for loading them
    await asyncio.to_thread(c.red_flags.detector)
    await asyncio.to_thread(screen_input, "我最近头有点晕，血压150/95", "zh", c.red_flags.vote)
    await asyncio.to_thread(
        lambda: run_output_checks(
            "每天食盐不超过5克。",
            evidence_texts=["每日食盐摄入量不超过5克。"],
            tool_results=[],
            cited_ids=[],
            known_ids=set(),
            language="zh",
        )
    )
    if isinstance(c.provider, OfflineChatProvider):  # never a remote or a caller's model
        request = ChatRequest(messages=[ChatMessage(role="user", content="高血压每天吃多少盐")])
        await c.provider.complete(request)
    took = time.perf_counter() - started
    log.info("warm-up done in %.2f s", took)
    return took
