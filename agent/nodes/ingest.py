"""ingest_message: detect the language and reset the per-turn fields."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.state import AgentState
from core.text import detect_language


async def ingest_message(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    return {
        "language": detect_language(state["user_text"]),
        "turn_messages": [],
        "tool_calls": [],
        "cards": [],
        "tool_rounds": 0,
        "revisions": 0,
        "feedback": [],
        "fallback": False,
        "draft": "",
        "cited_refs": [],
        "evidence": [],
        "abstained": False,
        "answer_card": None,
        "context_text": "",
        "review": {},
        "safety": {},
        "reply": "",
        "status": "completed",
        "intent": None,
        "injection": False,
        "pii_kinds": [],
        "urgent_triage": None,
        "ongoing_emergency": False,
        "answered_by_guard": False,
    }
