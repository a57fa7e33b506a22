"""Takeover: a manager answers a conversation instead of the agent, then hands it back."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, ConversationManagerScope, ManagerOnly
from api.schemas_console import ManagerMessageCreate, ManagerMessageHints, TakeoverPublic
from api.services import takeover as service

router = APIRouter(prefix="/v1/conversations", tags=["takeover"])


@router.post("/{conversation_id}/takeover")
async def take_over_conversation(
    c: ContainerDep, caller: ManagerOnly, scope: ConversationManagerScope
) -> TakeoverPublic:
    """The agent stops answering; the patient is told a health manager answers now."""
    return await service.take_over(c, scope, caller.subject)


@router.post("/{conversation_id}/manager-messages", status_code=201)
async def create_manager_message(
    c: ContainerDep,
    caller: ManagerOnly,
    scope: ConversationManagerScope,
    body: ManagerMessageCreate,
) -> TakeoverPublic:
    """A message from the signed-in manager, delivered into the thread and published live."""
    return await service.send_manager_message(c, scope, caller.subject, body.content)


@router.post("/{conversation_id}/manager-messages/check")
async def check_manager_message(
    c: ContainerDep,
    caller: ManagerOnly,
    scope: ConversationManagerScope,
    body: ManagerMessageCreate,
) -> ManagerMessageHints:
    """The output checks' findings on a message before it is sent (hints; nothing stored)."""
    return ManagerMessageHints(hints=await service.check_manager_message(c, scope, body.content))


@router.post("/{conversation_id}/handback")
async def hand_back_conversation(
    c: ContainerDep, caller: ManagerOnly, scope: ConversationManagerScope
) -> TakeoverPublic:
    """The agent answers again; the patient is told."""
    return await service.hand_back(c, scope, caller.subject)
