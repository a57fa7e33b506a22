"""The one turn runner: a patient's message and a manager's resume both go through here.

Each graph run of a conversation gets the same context (the tenant's policy in force, the
patient's consents, the conversation's language), publishes the same event shape on the
tenant's live channel, runs under the same time limit, and is read back from its checkpoint
into a ``TurnResult`` the same way.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from langchain_core.runnables import RunnableConfig

from agent.checkpoint import thread_config
from agent.context import AgentContext, EventSink, ReviewSink
from api.container import Container
from api.services.agent_context import build_agent_context
from api.services.consents import load_consented_purposes
from api.services.readings import patient_readings
from api.services.tenant_policies import load_policy
from api.services.turn_results import turn_result_from_state
from core.db.models import Conversation, Patient
from core.errors import ProviderUnavailable
from core.schemas import TurnResult
from tools.registry import ToolContext

ProgressSink = Callable[[str, dict[str, Any]], Awaitable[None]]


def turn_timed_out(limit_s: float) -> ProviderUnavailable:
    return ProviderUnavailable(
        f"the turn took longer than {limit_s:g} s and was stopped; send the message again",
        message_zh="本次回复处理超时，已停止，请重新发送",
        code="turn_timeout",
    )


def tenant_events(
    c: Container, conversation: Conversation, on_progress: ProgressSink | None = None
) -> EventSink:
    """Publish a turn's events on the tenant's live channel (and to the caller's stream)."""

    async def emit(kind: str, payload: dict[str, Any]) -> None:
        event = {
            "kind": kind,
            "conversation_id": conversation.id,
            "tenant_id": conversation.tenant_id,
            **payload,
        }
        await c.coordinator.publish(f"tenant:{conversation.tenant_id}", event)
        if on_progress is not None:
            await on_progress(kind, event)

    return emit


@dataclass
class TurnRun:
    """One graph run of a conversation: its context, its events, its start time."""

    c: Container
    conversation: Conversation
    context: AgentContext
    emit: EventSink
    on_progress: ProgressSink | None
    started: float

    @property
    def config(self) -> RunnableConfig:
        return thread_config(self.conversation.id)

    async def run(self, graph_input: Any) -> None:
        """Run the graph on ``graph_input`` (a turn's input or a ``Command(resume=...)``),
        one checkpoint at the end; progress goes to the caller's stream. The caller bounds the
        run with ``asyncio.timeout`` and turns ``TimeoutError`` into ``turn_timed_out``."""
        async for update in self.c.graph.astream(
            graph_input,
            config=self.config,
            context=self.context,
            stream_mode="updates",
            durability="exit",
        ):
            for node in update:
                if self.on_progress is not None and not node.startswith("__"):
                    await self.on_progress("progress", {"node": node})

    async def result(self, client_message_id: str | None) -> tuple[TurnResult, dict[str, Any]]:
        """The checkpointed turn as the API's result, and the graph state it came from."""
        snapshot = await self.c.graph.aget_state(self.config)
        result = turn_result_from_state(
            snapshot.values,
            conversation_id=self.conversation.id,
            held=bool(snapshot.next),
            client_message_id=client_message_id,
            latency_ms=(time.perf_counter() - self.started) * 1000,
        )
        return result, dict(snapshot.values)


async def start_turn_run(
    c: Container,
    conversation: Conversation,
    patient: Patient,
    *,
    on_progress: ProgressSink | None = None,
    record_review: ReviewSink | None = None,
    started: float | None = None,
    tools_may_run: bool = True,
) -> TurnRun:
    """``tools_may_run``: a patient's turn may record a reading, so the patient's recent
    readings are loaded for it; a manager's resume runs no tool and skips that query."""
    emit = tenant_events(c, conversation, on_progress)
    patient_id = patient.id
    readings = None
    if tools_may_run:
        async with c.sessions() as session:
            readings = await patient_readings(session, patient, datetime.now(UTC))
    context = build_agent_context(
        c,
        ToolContext(
            tenant_id=conversation.tenant_id,
            patient_id=patient_id,
            consented_purposes=await load_consented_purposes(c.sessions, patient_id),
            readings=readings,
        ),
        language="en" if conversation.language == "en" else "zh",
        emit=emit,
        record_review=record_review,
        policy=await load_policy(c, conversation.tenant_id),
    )
    return TurnRun(
        c=c,
        conversation=conversation,
        context=context,
        emit=emit,
        on_progress=on_progress,
        started=time.perf_counter() if started is None else started,
    )
