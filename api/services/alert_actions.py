"""A manager's actions on an alert beyond acknowledging it: resolve it, assign it to a manager.

Each is one commit with its audit entry, then published on the tenant's live channel.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from api.container import Container
from api.schemas_care import AlertPublic
from api.services.alerts import alert_public, load_alert
from api.services.records import audit
from core.db.auth_models import UserAccount
from core.errors import Conflict, ValidationFailed


async def resolve_alert(
    c: Container, tenant_id: str, alert_id: str, manager: str, note: str | None
) -> AlertPublic:
    """Open or acknowledged → resolved (final); resolving again changes nothing."""
    async with c.sessions() as session:
        record = await load_alert(session, tenant_id, alert_id)
        if record.status != "resolved":
            now = datetime.now(UTC)
            if record.acknowledged_by is None:
                record.acknowledged_by, record.acknowledged_at = manager, now
            record.status, record.updated_at = "resolved", now
            audit(
                session,
                tenant_id=tenant_id,
                actor=f"manager:{manager}",
                action="alert_resolved",
                entity_type="alert",
                entity_id=record.id,
                details={"note": note},
            )
            await session.commit()
        public = alert_public(record)
    await _publish(c, tenant_id, record.id, "resolved")
    return public


async def assign_alert(
    c: Container, tenant_id: str, alert_id: str, manager: str, assignee: str
) -> AlertPublic:
    """Give the alert's follow-up to a manager of the same tenant (422 for anyone else)."""
    async with c.sessions() as session:
        record = await load_alert(session, tenant_id, alert_id)
        if record.status == "resolved":
            raise Conflict(
                "this alert is already resolved",
                message_zh="该提醒已处理完毕，不能再分配",
                code="alert_resolved",
                field="status",
            )
        account = await session.scalar(
            select(UserAccount).where(
                UserAccount.username == assignee,
                UserAccount.tenant_id == tenant_id,
                UserAccount.role == "manager",
                UserAccount.disabled.is_(False),
            )
        )
        if account is None:
            raise ValidationFailed(
                f"no manager {assignee!r} in this tenant",
                message_zh=f"本机构没有健康管理师账号 {assignee!r}",
                code="unknown_assignee",
                field="assignee",
            )
        record.assigned_to, record.updated_at = assignee, datetime.now(UTC)
        audit(
            session,
            tenant_id=tenant_id,
            actor=f"manager:{manager}",
            action="alert_assigned",
            entity_type="alert",
            entity_id=record.id,
            details={"assigned_to": assignee},
        )
        await session.commit()
        public = alert_public(record)
    await _publish(c, tenant_id, record.id, "assigned")
    return public


async def _publish(c: Container, tenant_id: str, alert_id: str, change: str) -> None:
    await c.coordinator.publish(
        f"tenant:{tenant_id}",
        {"kind": "alert_changed", "tenant_id": tenant_id, "alert_id": alert_id, "change": change},
    )
