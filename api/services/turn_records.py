"""Durable records of what the tools made during a chat turn: payment plans, quotes, referrals,
readings (with their alerts) and tasks, stored inside the turn's own transaction.

Each tool declares the kind of record its result becomes (``ToolSpec.record``); this module
keeps one store per kind, the same stores the HTTP endpoints use. A record that cannot be read
back into its tool's output model is logged and skipped: the turn itself (reply, audit,
tool_calls rows) must never be lost because of one tool record.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.alerts import AlertOutcome
from api.services.money import store_payment_plan, store_quote
from api.services.readings import keep_assessment
from api.services.referrals import store_referral
from api.services.tasks import new_task
from api.tenancy import PatientScope
from core.db.models import Conversation
from tools.finance import PaymentPlanResult
from tools.insurance import QuoteResult
from tools.readings import ReadingAssessment
from tools.referrals import ReferralPlan
from tools.registry import RecordKind, ToolRegistry
from tools.tasks import TaskCard

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolOutput:
    """One successful tool call of a turn, with the conversation it belongs to."""

    conversation: Conversation
    arguments: dict[str, Any]
    result: dict[str, Any]

    @property
    def common(self) -> dict[str, Any]:
        return {
            "tenant_id": self.conversation.tenant_id,
            "patient_id": self.conversation.patient_id,
            "source": "chat",
            "conversation_id": self.conversation.id,
        }


Recorder = Callable[[AsyncSession, ToolOutput], Awaitable[list[AlertOutcome]]]


async def _payment_plan(session: AsyncSession, out: ToolOutput) -> list[AlertOutcome]:
    plan = PaymentPlanResult.model_validate(out.result)
    store_payment_plan(session, request=out.arguments, result=plan, **out.common)
    return []


async def _insurance_quote(session: AsyncSession, out: ToolOutput) -> list[AlertOutcome]:
    request = {k: v for k, v in out.arguments.items() if k != "genetic_info"}  # never kept
    store_quote(
        session, request=request, result=QuoteResult.model_validate(out.result), **out.common
    )
    return []


async def _referral(session: AsyncSession, out: ToolOutput) -> list[AlertOutcome]:
    plan = ReferralPlan.model_validate(out.result)
    store_referral(session, request=out.arguments, plan=plan, **out.common)
    return []


async def _reading(session: AsyncSession, out: ToolOutput) -> list[AlertOutcome]:
    _, outcomes = await keep_assessment(
        session,
        tenant_id=out.conversation.tenant_id,
        patient_id=out.conversation.patient_id,
        assessment=ReadingAssessment.model_validate(out.result),
        conversation_id=out.conversation.id,
    )
    return outcomes


async def _health_task(session: AsyncSession, out: ToolOutput) -> list[AlertOutcome]:
    card = TaskCard.model_validate(out.result)
    scope = PatientScope(out.conversation.tenant_id, out.conversation.patient_id)
    task = new_task(scope, card.task)
    task.conversation_id = out.conversation.id
    session.add(task)
    return []


RECORDERS: dict[RecordKind, Recorder] = {
    "payment_plan": _payment_plan,
    "insurance_quote": _insurance_quote,
    "referral": _referral,
    "reading": _reading,
    "health_task": _health_task,
}


async def store_tool_records(
    session: AsyncSession,
    conversation: Conversation,
    tool_calls: Sequence[dict[str, Any]],
    tools: ToolRegistry,
) -> list[AlertOutcome]:
    """Store the successful tool results of one turn; returns the alert changes that readings
    caused (the caller publishes those with ``notify`` after the commit)."""
    outcomes: list[AlertOutcome] = []
    for call in tool_calls:
        if not call.get("ok", True) or not isinstance(call.get("result"), dict):
            continue
        kind = tools.record_of(str(call.get("name")))
        if kind is None:
            continue
        out = ToolOutput(conversation, dict(call.get("arguments") or {}), call["result"])
        try:
            outcomes += await RECORDERS[kind](session, out)
        except ValidationError as exc:
            log.warning("tool record of %s not stored: %s", call.get("name"), exc)
    return outcomes
