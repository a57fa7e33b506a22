"""guard_input: PII redaction, injection detection and red flags before anything else runs."""

from __future__ import annotations

import logging
from typing import Any

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.state import AgentState
from guardrails.input_guard import screen_input

log = logging.getLogger(__name__)


async def guard_input(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    language = state.get("language", "zh")
    screen = screen_input(state["user_text"], language)
    update: dict[str, Any] = {
        "redacted_text": screen.redacted_text,
        "pii_kinds": screen.pii_kinds,
        "injection": screen.injection,
        "safety": screen.safety.model_dump(),
        "messages": [{"role": "user", "content": screen.redacted_text}],
    }
    if screen.safety.escalated:
        update["draft"] = screen.emergency_reply
        update["pending_intent"] = None
        try:
            await runtime.context.emit(
                "alert",
                {
                    "kind": "emergency",
                    "message_id": state["message_id"],
                    "red_flags": [f.code for f in screen.safety.red_flags],
                    "triage_level": screen.safety.triage_level,
                },
            )
        except Exception:  # an alert failure must never delay the 120 instruction
            log.exception("manager alert could not be published")
    return update


def route_after_guard(state: AgentState) -> str:
    return "respond" if state.get("safety", {}).get("escalated") else "retrieve"
