"""run_tools: execute the tool calls the model asked for; results become tool messages + cards."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.llm.base import ChatMessage
from agent.state import AgentState
from core.errors import ServiceError
from core.schemas import ToolCallRecord

log = logging.getLogger(__name__)


async def run_tools(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    ctx = runtime.context
    turn = list(state.get("turn_messages", []))
    calls = ChatMessage.model_validate(turn[-1]).tool_calls
    records = list(state.get("tool_calls", []))
    cards = list(state.get("cards", []))
    tool_ctx = ctx.tool_context
    for call in calls:
        record = ToolCallRecord(name=call.name, arguments=call.arguments)
        try:
            if ctx.enabled_tools is not None and call.name not in ctx.enabled_tools:
                raise ServiceError(f"tool {call.name} is not enabled", code="tool_disabled")
            spec = ctx.tools.get(call.name)
            # a tool is CPU work (schedules, IRR, triage): off the event loop
            result = await asyncio.to_thread(spec.call, call.arguments, tool_ctx)
            output = result.model_dump(mode="json")
            if spec.card_type:
                cards.append({"type": spec.card_type, "title": spec.name, "data": output})
        except ServiceError as exc:
            log.info("tool %s failed: %s", call.name, exc.instance_code)
            output = {"error": exc.to_body(state.get("language", "zh"))}
            record.ok, record.error_code = False, exc.instance_code
        records.append({**record.model_dump(), "result": output})
        message = ChatMessage(
            role="tool",
            name=call.name,
            tool_call_id=call.id,
            content=json.dumps(output, ensure_ascii=False, default=str),
        )
        turn.append(message.model_dump())
    return {
        "turn_messages": turn,
        "tool_calls": records,
        "cards": cards,
        "tool_rounds": state.get("tool_rounds", 0) + 1,
    }
