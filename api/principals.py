"""Who is calling: one authenticated principal per request, always bound to one tenant."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["key", "manager", "auditor", "patient"]

SCOPES: dict[str, str] = {
    "chat": "conversations, turns and the OpenAI-compatible chat completions",
    "care": "patients, consents (read), readings, tasks, care plans, referrals",
    "tools": "payment plans, insurance quotes, triage",
    "knowledge": "guideline search",
    "patient_tokens": "issue signed patient tokens (mini-app links)",
    "admin": "the tenant's keys, webhooks and policy",
}
"""Scopes a tenant API key may carry; a key created without any gets all of them."""


@dataclass(frozen=True)
class Principal:
    role: Role
    tenant_id: str
    subject: str
    """Key id, account username, or patient id."""
    scopes: frozenset[str] = field(default_factory=frozenset)
    patient_id: str | None = None
    """Set for a patient token: the only patient this caller may see."""

    @property
    def label(self) -> str:
        """How the audit log names this principal."""
        return f"{self.role}:{self.subject}@{self.tenant_id}"


current_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar(
    "current_principal", default=None
)
"""The request's principal, so every audit entry written for the request records it."""
