"""Run dependencies handed to every node through LangGraph's runtime context."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from agent.llm.base import ChatProvider, ReviewerProvider
from guardrails.tenant_policy import TenantPolicy, neutral_policy
from knowledge.answer_cards import AnswerCard
from knowledge.card_match import CardMatch
from tools.registry import ToolContext, ToolRegistry


class Retrieval(Protocol):
    @property
    def passages(self) -> list[Any]: ...
    @property
    def abstained(self) -> bool: ...


class Retriever(Protocol):
    def search(
        self,
        query: str,
        k: int = 5,
        *,
        language: str | None = None,
        exclude_audience: str | None = None,
    ) -> Retrieval: ...

    def passages_of(
        self, query: str, doc_ids: list[str], *, prefer: list[str] = ..., per_doc: int = 1
    ) -> list[Any]: ...


class CardSource(Protocol):
    def match(self, text: str) -> tuple[CardMatch, AnswerCard] | None: ...


EventSink = Callable[[str, dict[str, Any]], Awaitable[None]]


ReviewSink = Callable[[dict[str, Any]], Awaitable[None]]
"""Receives one record per ``revise`` or ``hold`` verdict (the learning loop stores them)."""


async def _no_events(_kind: str, _payload: dict[str, Any]) -> None:
    return None


async def _no_records(_record: dict[str, Any]) -> None:
    return None


@dataclass
class AgentContext:
    provider: ChatProvider
    reviewer: ReviewerProvider
    retriever: Retriever
    tools: ToolRegistry
    tool_context: ToolContext = field(default_factory=ToolContext)
    cards: CardSource | None = None
    """Matches the question to a curated answer card (None: extractive answers only)."""
    retrieval_k: int = 4
    max_tool_rounds: int = 3
    max_revisions: int = 2
    enabled_tools: set[str] | None = None
    tenant_disclosure: str | None = None
    tenant_policy: TenantPolicy = field(default_factory=lambda: neutral_policy("default"))
    """The turn's tenant policy: wording, banned phrases and PII echo rules for the review."""
    emit: EventSink = _no_events
    """Publishes live events (manager alerts, progress) — never blocks a turn on failure."""
    record_review: ReviewSink = _no_records
    """Collects the reviewer's revise/hold records of the turn for the learning loop."""
