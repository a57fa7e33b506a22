"""``POST /v1/chat/completions``: the whole agent behind the OpenAI chat format (tenant keys)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, StreamingResponse

from api.auth import SessionDep
from api.deps import ContainerDep, KeyChat
from api.schemas_openai import ChatCompletion, ChatCompletionCreate, chunk
from api.services.chat_completions import create_chat_completion

router = APIRouter(prefix="/v1/chat", tags=["openai-compatible"])
PIECE = 24


@router.post(
    "/completions",
    response_model=ChatCompletion,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def create_completion(
    c: ContainerDep,
    caller: KeyChat,
    session: SessionDep,
    body: ChatCompletionCreate,
    x_conversation_id: Annotated[str | None, Header(max_length=64)] = None,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> Any:
    """One agent turn. With ``stream: true`` the *reviewed* reply streams as chunks once the
    turn is done (a draft is never streamed); the last chunk carries ``health_manager``."""
    completion = await create_chat_completion(
        c,
        session,
        caller.tenant_id,
        body,
        conversation_id=x_conversation_id,
        idempotency_key=idempotency_key,
    )
    headers = {"X-Conversation-Id": completion.health_manager.conversation_id}
    if not body.stream:
        return JSONResponse(completion.model_dump(mode="json"), headers=headers)
    return StreamingResponse(
        _chunks(completion),
        media_type="text/event-stream",
        headers={**headers, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _chunks(completion: ChatCompletion) -> AsyncIterator[str]:
    reply = completion.choices[0].message.content
    base = (completion.id, completion.created, completion.model)
    yield _data(chunk(*base, {"role": "assistant", "content": ""}))
    for start in range(0, len(reply), PIECE):
        yield _data(chunk(*base, {"content": reply[start : start + PIECE]}))
    yield _data(chunk(*base, {}, finish=True, extension=completion.health_manager))
    yield "data: [DONE]\n\n"


def _data(body: dict[str, Any]) -> str:
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
