"""call_model: one call of the primary model (draft or tool calls)."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.dialogue import DialogueState, describe
from agent.llm.base import ChatMessage, ChatRequest, EvidencePassage, MatchedCard
from agent.prompts import FALLBACK_REPLY
from agent.state import AgentState


async def call_model(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    ctx = runtime.context
    history = [ChatMessage.model_validate(m) for m in state.get("messages", [])]
    turn = [ChatMessage.model_validate(m) for m in state.get("turn_messages", [])]
    request = ChatRequest(
        messages=history + turn,
        tools=ctx.tools.schemas(ctx.enabled_tools),
        evidence=[EvidencePassage.model_validate(e) for e in state.get("evidence", [])],
        abstained=state.get("abstained", False),
        language=state.get("language", "zh"),
        feedback=state.get("feedback", []),
        pending_intent=state.get("pending_intent"),
        tenant_disclosure=ctx.tenant_disclosure,
        card=MatchedCard.model_validate(card) if (card := state.get("answer_card")) else None,
        dialogue_note=describe(DialogueState.model_validate(state.get("dialogue") or {})),
    )
    response = await ctx.provider.complete(request)
    if response.tool_calls and not response.fallback:
        if state.get("tool_rounds", 0) >= ctx.max_tool_rounds:
            language = state.get("language", "zh")
            return {"draft": FALLBACK_REPLY[language], "fallback": True, "cited_refs": []}
        message = ChatMessage(role="assistant", tool_calls=response.tool_calls)
        return {
            "turn_messages": [*state.get("turn_messages", []), message.model_dump()],
            "intent": response.intent or state.get("intent"),
        }
    return {
        "draft": response.content,
        "cited_refs": response.cited_refs,
        "intent": state.get("intent") or response.intent,
        "pending_intent": response.pending_intent,
        "fallback": response.fallback,
    }


def route_after_model(state: AgentState) -> Literal["run_tools", "review"]:
    turn = state.get("turn_messages", [])
    wants_tools = bool(turn) and turn[-1].get("role") == "assistant" and turn[-1].get("tool_calls")
    if wants_tools and not state.get("draft"):
        return "run_tools"
    return "review"
