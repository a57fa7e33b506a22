"""guard_input: PII redaction, injection detection and red flags before anything else runs.

Instructions inside data are data: when a message carries text that tries to instruct the
assistant (typed, or inside a pasted lab/exam report, screened at the stricter document
threshold), the sentences that carry the instruction are replaced by a marker before the model
or the history sees the message. Red flags are judged on the whole original text, so an
emergency hidden in such a message still escalates.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Literal

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.state import AgentState
from guardrails.crisis import called_and_waiting
from guardrails.injection import Source, detect_injection
from guardrails.input_guard import (
    InputScreen,
    handled_reply,
    ongoing_emergency,
    ongoing_reply,
    safe_answer_reply,
    screen_input,
    waiting_reply,
)

log = logging.getLogger(__name__)


async def guard_input(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    language = state.get("language", "zh")
    # the guards are CPU work that grows with the message: off the event loop
    screen = await asyncio.to_thread(
        screen_input,
        state["user_text"],
        language,
        runtime.context.tool_context.red_flags,
        safety_question_asked=bool(state.get("safety_question_asked")),
    )
    text, neutralised = await asyncio.to_thread(
        neutralise_instructions, screen.redacted_text, language
    )
    update: dict[str, Any] = {
        "redacted_text": text,
        "pii_kinds": screen.pii_kinds,
        "injection": screen.injection or neutralised,
        "safety": screen.safety.model_dump(),
        "messages": [{"role": "user", "content": text}],
        "safety_question_asked": screen.safety.crisis == "distress",
        "urgent_triage": screen.urgent,
    }
    active = ongoing_emergency(state.get("active_emergency"), screen, state["user_text"], language)
    update["active_emergency"] = active
    if active is not None and not screen.safety.escalated and screen.safety.crisis is None:
        # An emergency of an earlier turn is still under way: it stays first; no model answers.
        if called_and_waiting(state["user_text"]):
            update["draft"] = waiting_reply(active, language)  # called, help on its way
        else:
            update["draft"] = ongoing_reply(active, manager_notified=True, language=language)
        update["ongoing_emergency"] = True
    elif active is None and state.get("active_emergency") and not screen.safety.red_flags:
        update["draft"] = handled_reply(language)  # "the ambulance is here": acknowledged
        update["ongoing_emergency"] = True
    if screen.safe_answer and active is None:
        update["draft"] = safe_answer_reply(language)
        update["answered_by_guard"] = True
    if screen.safety.crisis == "distress":
        # Hopelessness without a plan: the direct safety question goes out now, a human is told.
        update["draft"] = screen.emergency_reply
        await _alert(runtime, "crisis_check", state, screen)
    if screen.safety.escalated:
        update["draft"] = screen.emergency_reply
        update["pending_intent"] = None
        title = "立即拨打120" if language == "zh" else "Call 120 now"
        update["cards"] = [{"type": "emergency", "title": title, "data": screen.triage or {}}]
        await _alert(runtime, "escalation", state, screen)
    return update


async def _alert(
    runtime: Runtime[AgentContext], kind: str, state: AgentState, screen: InputScreen
) -> None:
    try:
        await runtime.context.emit(
            kind,
            {
                "message_id": state["message_id"],
                "red_flags": [f.code for f in screen.safety.red_flags],
                "sources": sorted({f.source for f in screen.safety.red_flags}),
                "triage_level": screen.safety.triage_level,
                "crisis": screen.safety.crisis,
            },
        )
    except Exception:  # an alert failure must never delay the 120 instruction
        log.exception("manager alert could not be published")


_REPORT_MARKERS = re.compile(
    r"化验单|化验结果|检验报告|检查报告|体检报告|报告单|报告内容|检验结果|参考范围|参考值|"
    r"lab report|test results?|blood test|exam report|reference range",
    re.IGNORECASE,
)
_PIECES = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*|\n")
_REMOVED = {"zh": "[已忽略：文本中的指令]", "en": "[ignored: instructions inside the text]"}


def neutralise_instructions(text: str, language: str) -> tuple[str, bool]:
    """``text`` with each sentence that carries an instruction to the assistant replaced by a
    marker, and whether any was. A message quoting a report is screened as a document."""
    source: Source = "document" if _REPORT_MARKERS.search(text) else "user"
    if detect_injection(text, source) is None:
        return text, False
    marker = _REMOVED["en" if language == "en" else "zh"]
    pieces = [m.group() for m in _PIECES.finditer(text)]
    kept = [marker if detect_injection(piece, source) else piece for piece in pieces]
    return "".join(kept), kept != pieces


def route_after_guard(state: AgentState) -> Literal["respond", "retrieve"]:
    safety = state.get("safety", {})
    if safety.get("escalated") or safety.get("crisis") == "distress":
        return "respond"
    if state.get("answered_by_guard"):
        return "respond"
    return "respond" if state.get("ongoing_emergency") else "retrieve"
