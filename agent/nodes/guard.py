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
from typing import Any

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.state import AgentState
from guardrails.injection import Source, detect_injection
from guardrails.input_guard import screen_input

log = logging.getLogger(__name__)


async def guard_input(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    language = state.get("language", "zh")
    # the guards are CPU work that grows with the message: off the event loop
    screen = await asyncio.to_thread(screen_input, state["user_text"], language)
    text, neutralised = await asyncio.to_thread(
        neutralise_instructions, screen.redacted_text, language
    )
    update: dict[str, Any] = {
        "redacted_text": text,
        "pii_kinds": screen.pii_kinds,
        "injection": screen.injection or neutralised,
        "safety": screen.safety.model_dump(),
        "messages": [{"role": "user", "content": text}],
    }
    if screen.safety.escalated:
        update["draft"] = screen.emergency_reply
        update["pending_intent"] = None
        title = "立即拨打120" if language == "zh" else "Call 120 now"
        update["cards"] = [{"type": "emergency", "title": title, "data": screen.triage or {}}]
        try:
            await runtime.context.emit(
                "escalation",
                {
                    "message_id": state["message_id"],
                    "red_flags": [f.code for f in screen.safety.red_flags],
                    "triage_level": screen.safety.triage_level,
                },
            )
        except Exception:  # an alert failure must never delay the 120 instruction
            log.exception("manager alert could not be published")
    return update


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


def route_after_guard(state: AgentState) -> str:
    return "respond" if state.get("safety", {}).get("escalated") else "retrieve"
