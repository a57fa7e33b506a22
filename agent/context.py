"""Run dependencies handed to every node through LangGraph's runtime context."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from agent.llm.base import ChatProvider, ReviewerProvider
from tools.registry import ToolContext, ToolRegistry


class RetrievedPassage(Protocol):
    chunk_id: str
    doc_id: str
    title: str
    source: str
    year: int
    section: str
    text: str
    score: float


class Retrieval(Protocol):
    @property
    def passages(self) -> list[Any]: ...
    @property
    def abstained(self) -> bool: ...


class Retriever(Protocol):
    def search(self, query: str, k: int = 5, *, language: str | None = None) -> Any: ...


EventSink = Callable[[str, dict[str, Any]], Awaitable[None]]


async def _no_events(_kind: str, _payload: dict[str, Any]) -> None:
    return None


@dataclass
class AgentContext:
    provider: ChatProvider
    reviewer: ReviewerProvider
    retriever: Retriever
    tools: ToolRegistry
    tool_context: ToolContext = field(default_factory=ToolContext)
    retrieval_k: int = 4
    max_tool_rounds: int = 3
    max_revisions: int = 2
    enabled_tools: set[str] | None = None
    tenant_disclosure: str | None = None
    emit: EventSink = _no_events
    """Publishes live events (manager alerts, progress) — never blocks a turn on failure."""
