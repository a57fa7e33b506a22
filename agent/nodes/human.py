"""human_review: pause the graph (LangGraph interrupt) until a health manager decides."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import interrupt
from pydantic import BaseModel

from agent.context import AgentContext
from agent.state import AgentState


class ManagerDecision(BaseModel):
    """What the manager sends to resume a held turn."""

    action: Literal["approve", "edit", "reject"]
    reply: str | None = None
    manager: str = "manager"


async def await_human_review(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    raw = interrupt(
        {
            "message_id": state["message_id"],
            "draft": state.get("draft", ""),
            "reasons": state.get("review", {}).get("reasons", []),
        }
    )
    decision = ManagerDecision.model_validate(raw)
    review = dict(state.get("review", {}))
    review["reviewer"] = f"human:{decision.manager}"
    reply = state.get("draft", "") if decision.action == "approve" else decision.reply or ""
    return {
        "draft": reply,
        "review": review,
        "cards": [] if decision.action == "reject" else state.get("cards", []),
    }
