"""Resolving an alert and assigning it to a manager of the tenant; audited, staff-scoped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.api.care_helpers import new_patient
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import manager, staff_client


@pytest.fixture
async def api(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(**backend_overrides)) as client:
        yield client


async def low_glucose_alert(api: httpx.AsyncClient) -> str:
    patient = await new_patient(api, "alert-p")
    reading = {
        "kind": "glucose",
        "value": 2.2,
        "unit": "mmol/L",
        "meal_context": "random",
        "measured_at": datetime.now(UTC).isoformat(),
    }
    recorded = await api.post(f"/v1/patients/{patient}/readings", json=reading)
    assert recorded.status_code == 201, recorded.text
    return str(recorded.json()["alerts"][0]["alert"]["id"])


async def test_assign_then_resolve(api: httpx.AsyncClient) -> None:
    alert_id = await low_glucose_alert(api)
    staff, colleague = await manager(api), await staff_client(api, slot="colleague")
    assigned = await staff.post(
        f"/v1/alerts/{alert_id}/assign",
        json={"assignee": colleague.username},  # type: ignore[attr-defined]
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assigned_to"] == colleague.username  # type: ignore[attr-defined]
    resolved = await colleague.post(f"/v1/alerts/{alert_id}/resolve", json={"note": "rang"})
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    again = await colleague.post(f"/v1/alerts/{alert_id}/resolve", json={})
    assert again.status_code == 200 and again.json()["status"] == "resolved"
    late = await staff.post(f"/v1/alerts/{alert_id}/assign", json={"assignee": "x"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "alert_resolved"


async def test_only_a_manager_of_the_tenant_can_be_assigned(api: httpx.AsyncClient) -> None:
    alert_id = await low_glucose_alert(api)
    auditor = await staff_client(api, "auditor")
    other = await manager(api, "insurer-demo")
    staff = await manager(api)
    for assignee in ("nobody", auditor.username, other.username):  # type: ignore[attr-defined]
        refused = await staff.post(f"/v1/alerts/{alert_id}/assign", json={"assignee": assignee})
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["code"] == "unknown_assignee"
    assert (await auditor.post(f"/v1/alerts/{alert_id}/resolve", json={})).status_code == 403
    assert (await other.post(f"/v1/alerts/{alert_id}/resolve", json={})).status_code == 404
