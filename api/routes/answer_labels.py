"""Managers label any answer (correct / unsafe / unsupported / unhelpful): regression cases."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, ConversationManagerScope, ConversationStaffScope, ManagerOnly
from api.schemas_review import AnswerLabelCreate, AnswerLabelPublic, AnswerLabelsPublic
from api.services import answer_labels as service

router = APIRouter(prefix="/v1/conversations", tags=["console"])


@router.get("/{conversation_id}/labels")
async def read_answer_labels(c: ContainerDep, scope: ConversationStaffScope) -> AnswerLabelsPublic:
    """The managers' labels on this conversation's answers (staff only)."""
    return await service.labels_of_conversation(c, scope)


@router.put("/{conversation_id}/messages/{message_id}/label")
async def label_answer(
    c: ContainerDep,
    caller: ManagerOnly,
    scope: ConversationManagerScope,
    message_id: str,
    body: AnswerLabelCreate,
) -> AnswerLabelPublic:
    """Label one of the assistant's answers; it joins the next eval run as a regression case."""
    return await service.label_answer(c, scope, message_id, body, caller.subject)
