"""``board_row`` as a pure function: flags, risk, waiting and unread from a conversation's rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from api.services.console_board import board_row
from core.db.models import Conversation, Message, Patient, ReviewItem

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def message(role: str, minutes_ago: int, result: dict[str, Any] | None = None) -> Message:
    return Message(
        conversation_id="c1",
        role=role,
        content=f"{role} text",
        result=result,
        created_at=NOW - timedelta(minutes=minutes_ago),
    )


def row(messages: list[Message], held: list[ReviewItem] | None = None) -> Any:
    conversation = Conversation(id="c1", tenant_id="t", patient_id="p1", language="zh")
    patient = Patient(id="p1", tenant_id="t", external_ref="ref-1")
    return board_row(conversation, patient, messages, held or [], NOW)


def test_unanswered_patient_messages_wait_and_count_as_unread() -> None:
    answered = {"safety": {"triage_level": "routine"}, "review": {"verdict": "approve"}}
    r = row([message("patient", 30, answered), message("assistant", 29), message("patient", 10)])
    r2 = row([message("patient", 30), message("assistant", 29), message("patient", 10)])
    assert r.unread == 1 and r.waiting_s == 600 and r.risk_level == "routine"
    assert r2.risk_level is None and r.urgency > r2.urgency


def test_flags_come_from_the_last_result_and_the_pending_items() -> None:
    doubtful = {
        "safety": {"triage_level": "urgent"},
        "review": {"verdict": "approve", "revisions": 1, "reasons": []},
        "tool_calls": [{"name": "insurance_quote", "error_code": "consent_missing"}],
    }
    item = ReviewItem(conversation_id="c1", draft="d", created_at=NOW - timedelta(minutes=5))
    r = row([message("patient", 6, doubtful), message("assistant", 5)], [item])
    assert r.flags == ["held_answer", "low_confidence", "consent_needed"]
    assert r.waiting_s == 300 and r.unread == 0


def test_an_escalation_is_an_emergency_and_not_a_doubt() -> None:
    escalated = {
        "safety": {"triage_level": "emergency", "escalated": True},
        "review": {"reasons": [{"code": "ESCALATION_BYPASS"}]},
    }
    r = row([message("patient", 1, escalated), message("assistant", 1)])
    assert r.flags == ["emergency"] and r.risk_level == "emergency"
