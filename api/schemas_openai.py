"""Bodies of ``POST /v1/chat/completions``: the OpenAI chat format plus one extension field.

A plain OpenAI client reads ``choices[0].message.content``; the agent's citations, cards,
safety and review come in ``health_manager`` (the whole ``TurnResult``), which OpenAI SDKs keep
as an extra field (``completion.model_extra["health_manager"]`` in Python).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.schemas import TurnResult

EXTENSION = "health_manager"


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "".join(p.text or "" for p in self.content or [] if p.type == "text")


class ChatCompletionCreate(BaseModel):
    """OpenAI's request body. Sampling fields (temperature, top_p, ...) are accepted and
    ignored: the agent, its guards and its reviewer decide the answer."""

    model_config = ConfigDict(extra="allow")

    model: str = Field("health-manager", max_length=128)
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=200)
    stream: bool = False
    user: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="The tenant's pseudonymous patient id: calls with the same user continue "
        "that patient's latest conversation (new patient and conversation when first seen).",
    )
    metadata: dict[str, str] | None = Field(
        None, description="``conversation_id``: continue exactly this conversation."
    )


class ChatMessageOut(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: ChatMessageOut
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class AgentExtension(BaseModel):
    conversation_id: str
    patient_ref: str
    turn: TurnResult


class ChatCompletion(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage = Field(default_factory=Usage)
    health_manager: AgentExtension


def chunk(
    completion_id: str,
    created: int,
    model: str,
    delta: dict[str, Any],
    *,
    finish: bool = False,
    extension: AgentExtension | None = None,
) -> dict[str, Any]:
    """One ``chat.completion.chunk`` of a streamed answer."""
    body: dict[str, Any] = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": "stop" if finish else None}],
    }
    if extension is not None:
        body[EXTENSION] = extension.model_dump(mode="json")
    return body
