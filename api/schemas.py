"""Request and response bodies of the HTTP API (separate from database tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None
    details: dict[str, Any] | None = None


class ConversationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Deprecated and never trusted: the tenant is the caller's. When given, it "
        "must be the caller's tenant (else 404 unknown_tenant).",
    )
    patient_ref: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="The tenant's own pseudonymous patient id; a new one is made when absent. "
        "Ignored for a patient token (the conversation is the token's patient's).",
    )
    language: Literal["zh", "en"] | None = None


class ConversationPublic(BaseModel):
    id: str
    tenant_id: str
    patient_id: str
    patient_ref: str
    language: str
    status: str
    created_at: datetime
    taken_over_by: str | None = None
    """The health manager answering instead of the agent (``None``: the agent answers)."""


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(min_length=1, max_length=20_000)
    client_message_id: str | None = Field(None, min_length=1, max_length=128)


class MessagePublic(BaseModel):
    id: str
    role: str
    content: str
    client_message_id: str | None = None
    turn_status: str | None = None
    reply_to_id: str | None = None
    result: dict[str, Any] | None = None
    created_at: datetime


class ConversationDetail(ConversationPublic):
    messages: list[MessagePublic]
