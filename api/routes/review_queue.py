"""Manager console: drafts the reviewer held back, decisions on them, root-cause labels."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from agent.nodes.human import ManagerDecision
from api.deps import ContainerDep, ManagerOnly, StaffReader
from api.schemas_review import (
    ReviewApprove,
    ReviewDecisionPublic,
    ReviewEdit,
    ReviewItemPublic,
    ReviewLabelCreate,
    ReviewLabelPublic,
    ReviewQueuePublic,
    ReviewReject,
)
from api.services import learning_loop, review_queue

router = APIRouter(prefix="/v1/review-queue", tags=["review-queue"])


@router.get("")
async def list_review_items(
    c: ContainerDep,
    caller: StaffReader,
    status: review_queue.QueueFilter = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ReviewQueuePublic:
    return await review_queue.list_review_items(c, caller.tenant_id, status, limit)


@router.get("/{item_id}")
async def read_review_item(c: ContainerDep, caller: StaffReader, item_id: str) -> ReviewItemPublic:
    return await review_queue.read_review_item(c, caller.tenant_id, item_id)


@router.post("/{item_id}/approve")
async def approve_review_item(
    c: ContainerDep, caller: ManagerOnly, item_id: str, body: ReviewApprove
) -> ReviewDecisionPublic:
    decision = ManagerDecision(action="approve", manager=caller.subject)
    return await review_queue.decide_review_item(
        c, caller.tenant_id, item_id, decision, body.override
    )


@router.post("/{item_id}/edit")
async def edit_review_item(
    c: ContainerDep, caller: ManagerOnly, item_id: str, body: ReviewEdit
) -> ReviewDecisionPublic:
    decision = ManagerDecision(action="edit", reply=body.reply, manager=caller.subject)
    return await review_queue.decide_review_item(
        c, caller.tenant_id, item_id, decision, body.override
    )


@router.post("/{item_id}/reject")
async def reject_review_item(
    c: ContainerDep, caller: ManagerOnly, item_id: str, body: ReviewReject
) -> ReviewDecisionPublic:
    decision = ManagerDecision(action="reject", reply=body.reply, manager=caller.subject)
    return await review_queue.decide_review_item(
        c, caller.tenant_id, item_id, decision, body.override
    )


@router.post("/{item_id}/label")
async def label_review_item(
    c: ContainerDep, caller: ManagerOnly, item_id: str, body: ReviewLabelCreate
) -> ReviewLabelPublic:
    return await learning_loop.label_review_item(c, caller.tenant_id, item_id, body, caller.subject)
