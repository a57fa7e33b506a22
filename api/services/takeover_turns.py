"""The turn service's side of a takeover: while a manager has the conversation, no agent.

An emergency still gets the agent's escalation (120 first, the manager alerted): the input
guard is run on the message, and only a message it does not escalate stays with the human.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from api.container import Container
from api.services.records import audit
from core.db.models import Conversation, Message
from core.schemas import Review, ReviewReason, TurnResult
from guardrails.input_guard import screen_input

TAKEOVER_CODE = "MANAGER_TAKEOVER"
WAITING_REPLY = {
    "zh": "您的消息已转给健康管理师，他们会尽快亲自回复您。如有紧急情况，请立即拨打120。",
    "en": "Your message went to your health manager, who will answer you personally soon. "
    "In an emergency, call 120 now.",
}
"""What the patient gets for a message while a manager has the conversation."""


async def answer_while_taken_over(
    c: Container, conversation_id: str, message_id: str
) -> TurnResult | None:
    """The turn's result when a manager has the conversation, else ``None`` (run the agent)."""
    async with c.sessions() as session:
        conversation = await session.get(Conversation, conversation_id)
        message = await session.get(Message, message_id)
        if conversation is None or message is None or conversation.taken_over_by is None:
            return None
        language: Literal["zh", "en"] = "en" if conversation.language == "en" else "zh"
        screen = await asyncio.to_thread(screen_input, message.content, language, c.red_flags.vote)
        if screen.safety.escalated or screen.safety.crisis:
            return None  # the agent's escalation path runs, takeover or not
        result = TurnResult(
            conversation_id=conversation.id,
            message_id=message.id,
            client_message_id=message.client_message_id,
            status="held",
            language=language,
            reply=WAITING_REPLY[language],
            safety=screen.safety,
            review=Review(
                verdict="hold",
                reasons=[ReviewReason(code=TAKEOVER_CODE, message=conversation.taken_over_by)],
                reviewer=f"human:{conversation.taken_over_by}",
            ),
        )
        message.result, message.turn_status = result.model_dump(mode="json"), "taken_over"
        audit(
            session,
            tenant_id=conversation.tenant_id,
            actor="patient",
            action="message_to_manager",
            entity_type="conversation",
            entity_id=conversation.id,
            details={"message_id": message.id, "manager": conversation.taken_over_by},
        )
        await session.commit()
    await c.coordinator.publish(
        f"tenant:{conversation.tenant_id}",
        {
            "kind": "turn",
            "tenant_id": conversation.tenant_id,
            "conversation_id": conversation.id,
            "message_id": message.id,
            "status": "taken_over",
            "escalated": False,
        },
    )
    return result
