"""Builds the expensive clients once (engine, coordinator, retriever, providers, graph)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from langgraph.graph.state import CompiledStateGraph
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from agent.checkpoint import EncryptedSerde, open_checkpointer
from agent.graph import build_graph
from agent.llm.base import ChatProvider, ReviewerProvider
from agent.llm.factory import make_primary, make_reviewer
from api.reminders import ReminderScheduler
from core.coordination import Coordinator, RedisCoordinator, make_coordinator
from core.crypto import configure as configure_encryption
from core.db.session import make_engine, make_sessionmaker, upgrade_database_async
from core.settings import Settings
from knowledge.card_match import CardLayer
from knowledge.service import KnowledgeService
from tools.catalog import default_registry
from tools.registry import ToolRegistry
from tools.triage.semantic import SemanticLayer


@dataclass
class Container:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    coordinator: Coordinator
    knowledge: KnowledgeService
    provider: ChatProvider
    reviewer: ReviewerProvider
    tools: ToolRegistry
    graph: CompiledStateGraph[Any, Any, Any, Any]
    red_flags: SemanticLayer
    cards: CardLayer
    reminders: ReminderScheduler | None = None
    """The shared reminder scheduler (Redis); None without Redis (reminders are then off)."""


REMINDER_KEYSPACE = "reminders"


def _reminders(settings: Settings, coordinator: Coordinator) -> ReminderScheduler | None:
    if not settings.redis_url or not isinstance(coordinator, RedisCoordinator):
        return None
    return ReminderScheduler(coordinator.client, f"{settings.redis_prefix}{REMINDER_KEYSPACE}")


@asynccontextmanager
async def build_container(
    settings: Settings,
    *,
    provider: ChatProvider | None = None,
    reviewer: ReviewerProvider | None = None,
) -> AsyncIterator[Container]:
    """Everything a turn needs; callers may pass their own providers (tests, evals)."""
    configure_encryption([k.get_secret_value() for k in settings.encryption_keys])
    await upgrade_database_async(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    coordinator = make_coordinator(settings.redis_url, settings.redis_prefix)
    knowledge = KnowledgeService.from_settings(settings)
    try:
        async with open_checkpointer(settings.resolved_checkpoint_url) as saver:
            saver.serde = EncryptedSerde(saver.serde)
            yield Container(
                settings=settings,
                engine=engine,
                sessions=make_sessionmaker(engine),
                coordinator=coordinator,
                knowledge=knowledge,
                provider=provider or make_primary(settings),
                reviewer=reviewer or make_reviewer(settings),
                tools=default_registry(),
                graph=build_graph(checkpointer=saver),
                red_flags=SemanticLayer(knowledge.retriever),
                cards=CardLayer(knowledge.retriever),
                reminders=_reminders(settings, coordinator),
            )
    finally:
        await coordinator.close()
        await engine.dispose()
