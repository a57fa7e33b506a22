"""The input guard of a turn: PII redaction, injection detection, red flags and crisis language.

Emergencies short-circuit the turn: the 120/ER instruction goes out before anything else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from core.errors import ServiceError
from core.schemas import RedFlag, Safety
from core.text import Language
from guardrails.crisis import answers_no, answers_yes, called_and_waiting, emergency_handled
from guardrails.injection import detect_injection
from guardrails.pii import redact
from tools.triage.engine import triage
from tools.triage.models import TriageRequest, TriageResult
from tools.triage.rulebook import load_rulebook
from tools.triage.semantic import SemanticVote

log = logging.getLogger(__name__)

_STATED_INTENT = "我想过自杀"
"""What a "yes" to the safety question states; triaged with the message so the crisis reply and
its flags come from the one rule book."""

MANAGER_NOTIFIED = {
    "zh": "我已同时通知您的健康管理师。",
    "en": "I have also alerted your health manager.",
}


class InputScreen(BaseModel):
    redacted_text: str
    pii_kinds: list[str] = Field(default_factory=list)
    injection: bool = False
    safety: Safety = Field(default_factory=Safety)
    emergency_reply: str = ""
    """The reply that goes out at once: the 120 instruction, or the crisis safety question."""
    triage: dict[str, Any] | None = None
    """The triage result behind an escalation (shown to the patient as the emergency card)."""
    urgent: dict[str, Any] | None = None
    """The triage result when red flags call for a doctor within 24 hours (no escalation): its
    instruction leads the reply, whatever else the reply answers."""
    safe_answer: bool = False
    """The message clearly says no to the safety question asked last turn: the supportive reply
    goes out (``safe_answer_reply``), not a guideline search."""


def screen_input(
    text: str,
    language: Language,
    red_flags: Callable[[str], SemanticVote | None] | None = None,
    *,
    safety_question_asked: bool = False,
) -> InputScreen:
    """Screen one message. ``red_flags`` is the semantic layer; it sees the redacted text (the
    same text retrieval embeds, so the turn computes one query embedding), the rules see the
    whole original. ``safety_question_asked``: the last reply asked whether the patient has
    thoughts of self-harm, and a "yes" now means the crisis protocol."""
    redaction = redact(text)
    injection = detect_injection(text, "user") is not None
    # "the ambulance is here", "已经打了120": a status report is judged by the rules alone (the
    # semantic layer hears "ambulance", "hospital" and nothing else)
    vote = None if emergency_handled(text) else _semantic_vote(red_flags, redaction.text)
    safety, reply, result = _red_flags(text, language, vote)
    safe_answer = False
    if safety_question_asked and not safety.escalated and answers_yes(text):
        safety, reply, result = _red_flags(f"{text}。{_STATED_INTENT}", language, None)
    elif safety_question_asked and answers_no(text):
        # A clear no: the semantic layer (which reads no negation) is not heard over it; the
        # rules still are, so a "no" that goes on to tell of a plan is escalated.
        safety, reply, result = _red_flags(text, language, None)
        safe_answer = not safety.red_flags
    return InputScreen(
        redacted_text=redaction.text,
        pii_kinds=sorted({span.kind.value for span in redaction.spans}),
        injection=injection,
        safety=safety,
        emergency_reply=reply,
        triage=result.model_dump(mode="json") if result is not None and reply else None,
        urgent=result.model_dump(mode="json")
        if result is not None and not reply and safety.triage_level == "urgent"
        else None,
        safe_answer=safe_answer,
    )


def _semantic_vote(
    red_flags: Callable[[str], SemanticVote | None] | None, text: str
) -> SemanticVote | None:
    if red_flags is None or not text.strip():
        return None
    try:
        return red_flags(text)
    except Exception:  # the rule layer still guards the turn
        log.exception("semantic red-flag layer failed; rules only for this message")
        return None


def _red_flags(
    text: str, language: Language, vote: SemanticVote | None
) -> tuple[Safety, str, TriageResult | None]:
    try:
        result = triage(TriageRequest(text=text, language=language), semantic=vote)
    except ServiceError as exc:  # e.g. an implausible value: no red flag from the guard
        log.info("triage declined the message: %s", exc.instance_code)
        return Safety(), "", None
    if not result.red_flags:
        return Safety(), "", result
    flags = [
        RedFlag(code=f.code, evidence="; ".join(f.evidence), source=f.source)
        for f in result.red_flags
    ]
    escalated = result.level == "emergency"
    safety = Safety(
        triage_level=result.level, red_flags=flags, escalated=escalated, crisis=result.crisis
    )
    if not escalated and result.crisis is None:
        return safety, "", result
    return safety, f"{result.advice}\n\n{MANAGER_NOTIFIED[language]}", result


def ongoing_emergency(
    active: dict[str, Any] | None, screen: InputScreen, text: str, language: Language
) -> dict[str, Any] | None:
    """The emergency that still leads every reply: set by an escalation, kept until the patient
    says it is handled (已经打了120, ambulance is here), replaced by a newer escalation. Until
    then each turn is answered with the reminder and the steps for while help is coming."""
    if screen.safety.escalated:
        book = load_rulebook().book.ongoing_emergency
        reminder = book.zh if language == "zh" else book.en
        steps = (screen.triage or {}).get("advice_steps", [])
        return {
            "reminder": reminder,
            "steps": steps,
            "red_flags": [f.code for f in screen.safety.red_flags],
        }
    if active is not None and emergency_handled(text) and not called_and_waiting(text):
        return None
    return active


def safe_answer_reply(language: Language) -> str:
    """The reply to a clear "no" to the safety question (``answers_no``)."""
    steps = load_rulebook().book.crisis.safe_answer
    return ("" if language == "zh" else " ").join(s.zh if language == "zh" else s.en for s in steps)


def waiting_reply(active: dict[str, Any], language: Language) -> str:
    """120 is called and help is coming: what to do meanwhile (no "call 120 now" again)."""
    opening, closing = (
        s.zh if language == "zh" else s.en for s in load_rulebook().book.emergency_waiting
    )
    steps = [str(step) for step in active.get("steps", [])[1:]]
    return "\n\n".join([opening, *steps, closing])


def handled_reply(language: Language) -> str:
    book = load_rulebook().book.emergency_handled
    return book.zh if language == "zh" else book.en


def ongoing_reply(active: dict[str, Any], manager_notified: bool, language: Language) -> str:
    """The reply while an emergency is under way: the reminder, then what to do while waiting
    (everything after the first step, which the reminder restates)."""
    steps = [str(step) for step in active.get("steps", [])[1:]]
    lines = [str(active["reminder"]), *steps]
    if manager_notified:
        lines.append(MANAGER_NOTIFIED[language])
    return "\n\n".join(lines)


def passage_is_safe(text: str) -> bool:
    """Retrieved text that carries instructions is data, never followed: drop it."""
    return detect_injection(text, "retrieved") is None
