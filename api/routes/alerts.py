"""Alerts for health managers, scoped to the caller's tenant."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep
from api.schemas_care import AlertAck, AlertPublic, AlertStatus
from api.services import alerts as service
from api.tenancy import TenantDep

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])


@router.get("")
async def list_alerts(
    c: ContainerDep,
    tenant_id: TenantDep,
    status: AlertStatus | None = None,
    patient_id: str | None = None,
) -> list[AlertPublic]:
    return await service.list_alerts(c, tenant_id, status, patient_id)


@router.post("/{alert_id}/ack")
async def acknowledge_alert(
    c: ContainerDep, tenant_id: TenantDep, alert_id: str, body: AlertAck | None = None
) -> AlertPublic:
    return await service.acknowledge_alert(c, tenant_id, alert_id, body or AlertAck())
