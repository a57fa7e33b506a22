"""Dependencies handed to routes: the container, the caller's language, and who may call.

Every route takes exactly one access alias below (or a scope built on one); nothing checks a
role or a tenant inside a route. A key needs the alias' scope; other principals need the role.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends

from api.auth import Access, SessionDep
from api.principals import Principal
from api.request_context import ContainerDep, LanguageDep, get_container, get_language
from api.services.consents import require_sharing_consent
from api.services.conversations import ConversationScope, load_conversation
from api.tenancy import PatientScope, require_patient
from core.errors import NotFound

__all__ = [
    "AnyPrincipal",
    "CareReader",
    "CareWriter",
    "ChatReader",
    "ChatWriter",
    "ConsentGiver",
    "ConsentScope",
    "ContainerDep",
    "ConversationManagerScope",
    "ConversationReadScope",
    "ConversationStaffScope",
    "ConversationWriteScope",
    "KeyChat",
    "KnowledgeReader",
    "LanguageDep",
    "ManagerOnly",
    "OwnTenantAdmin",
    "OwnTenantTokenIssuer",
    "PatientAdmin",
    "PatientAdminScope",
    "PatientHealthScope",
    "PatientReadScope",
    "PatientWriteScope",
    "SessionDep",
    "StaffReader",
    "TenantAdmin",
    "TokenIssuer",
    "ToolCaller",
    "get_container",
    "get_language",
]

CHAT_WRITE = Access("chat:write", {"key", "patient"}, "chat")
CHAT_READ = Access("chat:read", {"key", "patient", "manager", "auditor"}, "chat")
KEY_CHAT = Access("chat:completions", {"key"}, "chat")
CARE_READ = Access("care:read", {"key", "patient", "manager", "auditor"}, "care")
CARE_WRITE = Access("care:write", {"key", "patient", "manager"}, "care")
PATIENT_ADMIN = Access("patients:admin", {"key", "manager"}, "care")
CONSENT_GIVE = Access("consents:write", {"patient", "manager"})
TOOLS = Access("tools", {"key", "patient", "manager"}, "tools")
KNOWLEDGE = Access("knowledge", {"key", "patient", "manager", "auditor"}, "knowledge")
STAFF_READ = Access("staff:read", {"manager", "auditor"})
MANAGER = Access("manager", {"manager"})
TOKEN_ISSUE = Access("patient_tokens", {"key", "manager"}, "patient_tokens")
TENANT_ADMIN = Access("tenant:admin", {"key"}, "admin")

ChatWriter = Annotated[Principal, Depends(CHAT_WRITE)]
ChatReader = Annotated[Principal, Depends(CHAT_READ)]
KeyChat = Annotated[Principal, Depends(KEY_CHAT)]
CareReader = Annotated[Principal, Depends(CARE_READ)]
CareWriter = Annotated[Principal, Depends(CARE_WRITE)]
PatientAdmin = Annotated[Principal, Depends(PATIENT_ADMIN)]
ConsentGiver = Annotated[Principal, Depends(CONSENT_GIVE)]
ToolCaller = Annotated[Principal, Depends(TOOLS)]
KnowledgeReader = Annotated[Principal, Depends(KNOWLEDGE)]
StaffReader = Annotated[Principal, Depends(STAFF_READ)]
ManagerOnly = Annotated[Principal, Depends(MANAGER)]
TokenIssuer = Annotated[Principal, Depends(TOKEN_ISSUE)]
TenantAdmin = Annotated[Principal, Depends(TENANT_ADMIN)]


def _patient_scope(
    access: Access, *, health_data: bool = False
) -> Callable[..., Awaitable[PatientScope]]:
    async def scope(
        patient_id: str, principal: Annotated[Principal, Depends(access)], session: SessionDep
    ) -> PatientScope:
        patient = await require_patient(session, principal.tenant_id, patient_id)
        if health_data:
            await require_sharing_consent(session, principal, patient_id)
        return PatientScope(tenant_id=principal.tenant_id, patient_id=patient_id, patient=patient)

    return scope


PatientHealthScope = Annotated[PatientScope, Depends(_patient_scope(CARE_READ, health_data=True))]
"""Reading a patient's health data: for an insurer's key, only with share_with_insurer."""
PatientReadScope = Annotated[PatientScope, Depends(_patient_scope(CARE_READ))]
PatientWriteScope = Annotated[PatientScope, Depends(_patient_scope(CARE_WRITE))]
PatientAdminScope = Annotated[PatientScope, Depends(_patient_scope(PATIENT_ADMIN))]
ConsentScope = Annotated[PatientScope, Depends(_patient_scope(CONSENT_GIVE))]


def _conversation_scope(
    access: Access, *, health_data: bool = False
) -> Callable[..., Awaitable[ConversationScope]]:
    async def scope(
        conversation_id: str,
        principal: Annotated[Principal, Depends(access)],
        session: SessionDep,
    ) -> ConversationScope:
        found = await load_conversation(session, principal.tenant_id, conversation_id)
        if health_data:
            await require_sharing_consent(session, principal, found.patient.id)
        return found

    return scope


ConversationReadScope = Annotated[
    ConversationScope, Depends(_conversation_scope(CHAT_READ, health_data=True))
]
ConversationWriteScope = Annotated[ConversationScope, Depends(_conversation_scope(CHAT_WRITE))]
ConversationManagerScope = Annotated[ConversationScope, Depends(_conversation_scope(MANAGER))]
"""A manager acting on a conversation of their tenant (takeover, manager messages)."""
ConversationStaffScope = Annotated[ConversationScope, Depends(_conversation_scope(STAFF_READ))]
"""A manager or auditor reading staff-only data of a conversation (answer labels)."""


def _own_tenant(access: Access) -> Callable[..., Awaitable[Principal]]:
    async def scope(tenant_id: str, principal: Annotated[Principal, Depends(access)]) -> Principal:
        if tenant_id != principal.tenant_id:
            raise NotFound(
                f"unknown tenant {tenant_id!r}",
                message_zh=f"租户 {tenant_id!r} 不存在",
                code="unknown_tenant",
                field="tenant_id",
            )
        return principal

    return scope


OwnTenantTokenIssuer = Annotated[Principal, Depends(_own_tenant(TOKEN_ISSUE))]
OwnTenantAdmin = Annotated[Principal, Depends(_own_tenant(TENANT_ADMIN))]
AnyPrincipal = Annotated[
    Principal, Depends(Access("whoami", {"key", "patient", "manager", "auditor"}))
]
