"""Patient chat: conversations and turns (JSON, or server-sent events)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import ContainerDep, LanguageDep
from api.schemas import ConversationCreate, ConversationDetail, ConversationPublic, MessageCreate
from api.services import conversations as service
from api.services.conversation_events import open_conversation_events
from core.errors import ServiceError
from core.schemas import TurnResult

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


@router.post("", status_code=201)
async def create_conversation(c: ContainerDep, body: ConversationCreate) -> ConversationPublic:
    return await service.create_conversation(c, body)


@router.get("/{conversation_id}")
async def read_conversation(c: ContainerDep, conversation_id: str) -> ConversationDetail:
    return await service.read_conversation(c, conversation_id)


@router.get(
    "/{conversation_id}/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream_conversation_events(c: ContainerDep, conversation_id: str) -> StreamingResponse:
    """Server-sent events: ``ready``, then a ``message`` (MessagePublic) whenever a health
    manager answers in this conversation (a held draft released, edited or replaced)."""
    events = await open_conversation_events(c, conversation_id)
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
    conversation_id: str,
    body: MessageCreate,
    request: Request,
    language: LanguageDep,
) -> Any:
    if "text/event-stream" in request.headers.get("accept", ""):
        return StreamingResponse(
            _turn_events(c, conversation_id, body, language),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return await service.post_message(c, conversation_id, body)


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


async def _turn_events(
    c: Any, conversation_id: str, body: MessageCreate, language: Any
) -> AsyncIterator[str]:
    """Progress events while the turn runs, then the reviewed reply in pieces, then the result.

    The draft is never streamed: the patient sees only what the reviewer approved.
    """
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()

    async def on_progress(kind: str, payload: dict[str, Any]) -> None:
        if kind == "progress":
            await queue.put(("progress", {"node": payload.get("node")}))

    task = asyncio.create_task(service.post_message(c, conversation_id, body, on_progress))
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
