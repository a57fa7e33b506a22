"""Durable records of what the tools made during a chat turn: payment plans, quotes, referrals,
readings (with their alerts) and tasks, stored inside the turn's own transaction.

A record that cannot be read back into its tool's output model is logged and skipped: the turn
itself (reply, audit, tool_calls rows) must never be lost because of one tool record.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from api.services.alerts import AlertOutcome
from api.services.money import store_payment_plan, store_quote
from api.services.readings import store_assessed_reading
from api.services.referrals import store_referral
from api.services.tasks import new_task
from api.tenancy import PatientScope
from core.db.models import Conversation
from tools.finance import PaymentPlanResult
from tools.insurance import QuoteResult
from tools.readings import ReadingAssessment
from tools.referrals import ReferralPlan
from tools.tasks import TaskCard

log = logging.getLogger(__name__)


async def store_tool_records(
    session: AsyncSession, conversation: Conversation, tool_calls: Sequence[dict[str, Any]]
) -> list[AlertOutcome]:
    """Store the successful tool results of one turn; returns the alert changes that readings
    caused (the caller publishes those with ``notify`` after the commit)."""
    outcomes: list[AlertOutcome] = []
    for call in tool_calls:
        if not call.get("ok", True) or not isinstance(call.get("result"), dict):
            continue
        try:
            outcomes += await _store(session, conversation, call)
        except ValidationError as exc:
            log.warning("tool record of %s not stored: %s", call.get("name"), exc)
    return outcomes


async def _store(
    session: AsyncSession, conversation: Conversation, call: dict[str, Any]
) -> list[AlertOutcome]:
    name, result = call["name"], call["result"]
    arguments: dict[str, Any] = dict(call.get("arguments") or {})
    common: dict[str, Any] = {
        "tenant_id": conversation.tenant_id,
        "patient_id": conversation.patient_id,
        "source": "chat",
        "conversation_id": conversation.id,
    }
    if name == "compute_payment_plans":
        plan = PaymentPlanResult.model_validate(result)
        store_payment_plan(session, request=arguments, result=plan, **common)
    elif name == "quote_insurance":
        arguments.pop("genetic_info", None)
        store_quote(session, request=arguments, result=QuoteResult.model_validate(result), **common)
    elif name == "create_referral":
        plan_out = ReferralPlan.model_validate(result)
        store_referral(session, request=arguments, plan=plan_out, **common)
    elif name == "record_reading":
        assessment = ReadingAssessment.model_validate(result)
        _, outcomes = await store_assessed_reading(
            session,
            tenant_id=conversation.tenant_id,
            patient_id=conversation.patient_id,
            reading=assessment.reading,
            plausibility=assessment.plausibility,
            conversation_id=conversation.id,
        )
        return outcomes
    elif name == "create_health_task":
        card = TaskCard.model_validate(result)
        scope = PatientScope(conversation.tenant_id, conversation.patient_id)
        task = new_task(scope, card.task)
        task.conversation_id = conversation.id
        session.add(task)
    return []
