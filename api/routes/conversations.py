"""Patient chat: conversations and turns (JSON, or server-sent events)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import (
    ChatWriter,
    ContainerDep,
    ConversationReadScope,
    ConversationWriteScope,
    LanguageDep,
    SessionDep,
)
from api.schemas import ConversationCreate, ConversationDetail, ConversationPublic, MessageCreate
from api.services import conversations as service
from api.services.conversation_events import open_conversation_events
from core.errors import ServiceError
from core.schemas import TurnResult

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


@router.post("", status_code=201)
async def create_conversation(
    c: ContainerDep, caller: ChatWriter, body: ConversationCreate
) -> ConversationPublic:
    """A conversation of the caller's tenant (a patient token: of the token's patient)."""
    return await service.create_conversation(
        c, caller.tenant_id, body, patient_id=caller.patient_id
    )


@router.get("/{conversation_id}")
async def read_conversation(
    session: SessionDep, scope: ConversationReadScope
) -> ConversationDetail:
    return await service.read_conversation(session, scope)


@router.get(
    "/{conversation_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream_conversation_events(
    c: ContainerDep, session: SessionDep, scope: ConversationReadScope
) -> StreamingResponse:
    """Server-sent events: ``ready``, then a ``message`` (MessagePublic) whenever a health
    manager answers in this conversation (a held draft released, edited or replaced)."""
    events = open_conversation_events(c, scope)
    await session.close()  # the scope is loaded; a long-lived stream holds no connection
    return StreamingResponse(
        (_sse(kind, data) async for kind, data in events),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post(
    "/{conversation_id}/messages",
    response_model=TurnResult,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def create_turn(
    c: ContainerDep,
    scope: ConversationWriteScope,
    body: MessageCreate,
    request: Request,
    language: LanguageDep,
) -> Any:
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(
            _turn_events(c, scope, body, language),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return await service.post_message(c, scope, body)


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


async def _turn_events(
    c: Any, scope: service.ConversationScope, body: MessageCreate, language: Any
) -> AsyncIterator[str]:
    """Progress events while the turn runs, then the reviewed reply in pieces, then the result.

    The draft is never streamed: the patient sees only what the reviewer approved.
    """
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()

    async def on_progress(kind: str, payload: dict[str, Any]) -> None:
        if kind == "progress":
            await queue.put(("progress", {"node": payload.get("node")}))

    task = asyncio.create_task(service.post_message(c, scope, body, on_progress))
    while not task.done() or not queue.empty():
        getter = asyncio.create_task(queue.get())
        done, _ = await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            kind, payload = getter.result()
            yield _sse(kind, payload)
        else:
            getter.cancel()
    try:
        result = task.result()
    except ServiceError as exc:
        yield _sse("error", {**exc.to_body(language), "status": exc.http_status})
        return
    except Exception:
        yield _sse("error", {"code": "internal_error", "message": "internal error", "status": 500})
        return
    for start in range(0, len(result.reply), 24):
        yield _sse("delta", {"text": result.reply[start : start + 24]})
    yield _sse("result", result.model_dump(mode="json"))
