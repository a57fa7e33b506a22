"""Alerts for health managers, scoped to the caller's tenant."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, ManagerOnly, StaffReader
from api.schemas_care import AlertAck, AlertAssign, AlertPublic, AlertResolve, AlertStatus
from api.services import alert_actions
from api.services import alerts as service

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])


@router.get("")
async def list_alerts(
    c: ContainerDep,
    caller: StaffReader,
    status: AlertStatus | None = None,
    patient_id: str | None = None,
) -> list[AlertPublic]:
    return await service.list_alerts(c, caller.tenant_id, status, patient_id)


@router.post("/{alert_id}/ack")
async def acknowledge_alert(
    c: ContainerDep, caller: ManagerOnly, alert_id: str, body: AlertAck | None = None
) -> AlertPublic:
    ack = AlertAck(by=caller.subject, note=body.note if body else None)
    return await service.acknowledge_alert(c, caller.tenant_id, alert_id, ack)


@router.post("/{alert_id}/resolve")
async def resolve_alert(
    c: ContainerDep, caller: ManagerOnly, alert_id: str, body: AlertResolve | None = None
) -> AlertPublic:
    note = body.note if body else None
    return await alert_actions.resolve_alert(c, caller.tenant_id, alert_id, caller.subject, note)


@router.post("/{alert_id}/assign")
async def assign_alert(
    c: ContainerDep, caller: ManagerOnly, alert_id: str, body: AlertAssign
) -> AlertPublic:
    return await alert_actions.assign_alert(
        c, caller.tenant_id, alert_id, caller.subject, body.assignee
    )
