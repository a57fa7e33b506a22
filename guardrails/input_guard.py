"""The input guard of a turn: PII redaction, injection detection, red flags and crisis language.

Emergencies short-circuit the turn: the 120/ER instruction goes out before anything else.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, Field

from core.errors import ServiceError
from core.schemas import RedFlag, Safety
from core.text import Language
from guardrails.injection import detect_injection
from guardrails.pii import redact
from tools.triage.engine import triage
from tools.triage.models import TriageRequest, TriageResult

log = logging.getLogger(__name__)

_MANAGER_NOTIFIED = {
    "zh": "我已同时通知您的健康管理师。",
    "en": "I have also alerted your health manager.",
}


class InputScreen(BaseModel):
    redacted_text: str
    pii_kinds: list[str] = Field(default_factory=list)
    injection: bool = False
    safety: Safety = Field(default_factory=Safety)
    emergency_reply: str = ""
    triage: dict[str, Any] | None = None
    """The triage result behind an escalation (shown to the patient as the emergency card)."""


def screen_input(text: str, language: Language) -> InputScreen:
    redaction = redact(text)
    injection = detect_injection(text, "user") is not None
    safety, reply, result = _red_flags(text, language)
    return InputScreen(
        redacted_text=redaction.text,
        pii_kinds=sorted({span.kind.value for span in redaction.spans}),
        injection=injection,
        safety=safety,
        emergency_reply=reply,
        triage=result.model_dump(mode="json") if result is not None and reply else None,
    )


def _red_flags(text: str, language: Language) -> tuple[Safety, str, TriageResult | None]:
    try:
        result = triage(TriageRequest(text=text, language=language))
    except ServiceError as exc:  # e.g. an implausible value: no red flag from the guard
        log.info("triage declined the message: %s", exc.instance_code)
        return Safety(), "", None
    if not result.red_flags:
        return Safety(), "", result
    flags = [RedFlag(code=f.code, evidence="; ".join(f.evidence)) for f in result.red_flags]
    escalated = result.level == "emergency"
    safety = Safety(triage_level=result.level, red_flags=flags, escalated=escalated)
    if not escalated:
        return safety, "", result
    return safety, f"{result.advice}\n\n{_MANAGER_NOTIFIED[language]}", result


def passage_is_safe(text: str) -> bool:
    """Retrieved text that carries instructions is data, never followed: drop it."""
    return detect_injection(text, "retrieved") is None
