"""respond: the final reply enters the history; the turn is complete."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.state import AgentState


async def respond(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    reply = state.get("draft", "")
    update: dict[str, Any] = {
        "reply": reply,
        "status": "completed",
        "messages": [{"role": "assistant", "content": reply}],
    }
    if state.get("ongoing_emergency"):
        update["review"] = {
            "verdict": "approve",
            "reasons": [
                {"code": "ONGOING_EMERGENCY", "message": "the earlier emergency stays first"}
            ],
            "revisions": 0,
            "reviewer": "escalation",
        }
    elif state.get("safety", {}).get("escalated"):
        # The reviewer never blocks or delays an escalation; record that it was bypassed.
        update["review"] = {
            "verdict": "approve",
            "reasons": [{"code": "ESCALATION_BYPASS", "message": "emergency reply sent at once"}],
            "revisions": 0,
            "reviewer": "escalation",
        }
    return update
