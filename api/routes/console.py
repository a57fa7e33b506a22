"""The manager console's own API: the live board and its event stream (staff only)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.deps import ContainerDep, SessionDep, StaffReader
from api.schemas_care import CarePlanTemplatePublic
from api.schemas_console import BoardPublic, LearningPublic, QualityPublic
from api.services import care, console_board, console_events, console_learning, console_quality

router = APIRouter(prefix="/v1/console", tags=["console"])


@router.get("/board")
async def read_board(session: SessionDep, caller: StaffReader) -> BoardPublic:
    """The tenant's conversations with risk, waiting time, unread count and flags."""
    return await console_board.read_board(session, caller.tenant_id)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream_events(c: ContainerDep, caller: StaffReader) -> StreamingResponse:
    """The tenant's live events (turns, alerts, review decisions) as server-sent events."""
    return StreamingResponse(
        console_events.console_events(c, caller.tenant_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/learning")
async def read_learning(session: SessionDep, caller: StaffReader) -> LearningPublic:
    """How many labelled cases ``hm review export`` gives the next eval run."""
    return await console_learning.read_learning(session, caller.tenant_id)


@router.get("/quality")
async def read_quality(session: SessionDep, caller: StaffReader) -> QualityPublic:
    """Today's turns, escalations, held answers, decisions and labels of the tenant."""
    return await console_quality.read_quality(session, caller.tenant_id)


@router.get("/care-plan-templates")
async def read_care_plan_templates(caller: StaffReader) -> list[CarePlanTemplatePublic]:
    """The care-plan templates (三师共管 and others) with each task's owner role."""
    return care.care_plan_templates()
