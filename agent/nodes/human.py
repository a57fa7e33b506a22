"""human_review: pause the graph (LangGraph interrupt) until a health manager decides."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import interrupt
from pydantic import BaseModel, Field, model_validator

from agent.context import AgentContext
from agent.state import AgentState

REJECTED_REPLY = {
    "zh": "这个问题需要您的健康管理师直接与您沟通，他们会尽快联系您。"
    "如有紧急情况，请立即拨打120或前往急诊。",
    "en": "Your health manager will get in touch with you directly about this question. "
    "In an emergency, call 120 or go to the emergency department now.",
}
"""What the patient gets when a manager rejects a draft without writing a reply."""


class ManagerDecision(BaseModel):
    """What the manager sends to resume a held turn."""

    action: Literal["approve", "edit", "reject"]
    reply: str | None = Field(None, max_length=8000)
    manager: str = Field("manager", min_length=1, max_length=128)

    @model_validator(mode="after")
    def _edit_needs_a_reply(self) -> ManagerDecision:
        if self.action == "edit" and not (self.reply or "").strip():
            raise ValueError("an edit needs the reply to send")
        return self


def decided_reply(decision: ManagerDecision, draft: str, language: Literal["zh", "en"]) -> str:
    """The text the patient gets for a decision (before the tenant's wording is added)."""
    if decision.action == "approve":
        return draft
    if decision.action == "edit" or (decision.reply or "").strip():
        return (decision.reply or "").strip()
    return REJECTED_REPLY[language]


async def await_human_review(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    raw = interrupt(
        {
            "message_id": state["message_id"],
            "draft": state.get("draft", ""),
            "reasons": state.get("review", {}).get("reasons", []),
        }
    )
    decision = ManagerDecision.model_validate(raw)
    language = state.get("language", "zh")
    reply = decided_reply(decision, state.get("draft", ""), language)
    review = dict(state.get("review", {}))
    review["verdict"] = "approve"
    review["reviewer"] = f"human:{decision.manager}"
    review["reasons"] = [
        *review.get("reasons", []),
        {"code": f"MANAGER_{decision.action.upper()}", "message": f"by {decision.manager}"},
    ]
    return {
        "draft": runtime.context.tenant_policy.with_disclosure(reply, language),
        "review": review,
        "cards": [] if decision.action == "reject" else state.get("cards", []),
    }
