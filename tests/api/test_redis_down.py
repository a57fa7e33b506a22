"""Redis (coordination) unreachable, at start or in the middle of a turn: an emergency is still
answered with the 120 instruction; other turns are refused with 503 + Retry-After before their
message is stored; readings are stored and answered (the live event is best-effort); /readyz
answers a readiness body naming the dependency."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from agent.llm.base import ChatProvider, ChatRequest, ChatResponse
from agent.llm.factory import make_primary
from core.db.care_models import ReadingRecord
from core.db.models import Message
from tests.api.care_helpers import count_rows
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import staff_headers

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"
EMERGENCY = "我胸口剧痛，出了一身冷汗，喘不上气"
ORDINARY = "高血压患者每天吃多少盐合适？"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def own_redis() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A redis-server of this test alone (so it can be killed), on a free port."""
    port = _free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0", proc
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
async def down(make_settings: SettingsFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(redis_url=CLOSED_PORT_URL)) as client:
        yield client


async def _messages(api: httpx.AsyncClient, cid: str) -> list[dict[str, object]]:
    response = await api.get(f"/v1/conversations/{cid}")
    assert response.status_code == 200
    return list(response.json()["messages"])


async def _conversation(api: httpx.AsyncClient) -> str:
    response = await api.post("/v1/conversations", json={})
    assert response.status_code == 201
    return str(response.json()["id"])


async def test_readyz_names_the_failing_dependency(down: httpx.AsyncClient) -> None:
    response = await down.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["checks"]["coordination"] == "error: redis unreachable"
    assert body["checks"]["database"] == "ok"
    assert (await down.get("/healthz")).status_code == 200


async def test_an_ordinary_turn_is_refused_with_retry_after_and_nothing_stored(
    down: httpx.AsyncClient,
) -> None:
    cid = await _conversation(down)
    body = {"content": ORDINARY, "client_message_id": "m-1"}
    for _ in range(2):  # retrying is safe: still nothing half-done
        response = await down.post(f"/v1/conversations/{cid}/messages", json=body)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        error = response.json()["error"]
        assert error["code"] == "coordination_unavailable"
        assert error["details"] == {"dependency": "redis"}
        assert await _messages(down, cid) == []
    zh = await down.post(
        f"/v1/conversations/{cid}/messages", json=body, headers={"Accept-Language": "zh-CN"}
    )
    assert zh.json()["error"]["message"] == "服务暂时不可用，请稍后重试"


async def test_an_emergency_is_answered_even_with_redis_down(down: httpx.AsyncClient) -> None:
    cid = await _conversation(down)
    response = await down.post(f"/v1/conversations/{cid}/messages", json={"content": EMERGENCY})
    assert response.status_code == 200, response.text
    turn = response.json()
    assert turn["safety"]["escalated"] is True and "120" in turn["reply"]
    messages = await _messages(down, cid)
    assert [m["role"] for m in messages] == ["patient", "assistant"]
    assert messages[0]["turn_status"] == "completed"


async def test_a_reading_is_stored_and_answered_with_redis_down(down: httpx.AsyncClient) -> None:
    patient = await down.post(
        "/v1/patients", json={"patient_ref": "r", "profile": {"conditions": ["diabetes"]}}
    )
    pid = patient.json()["id"]
    reading = {
        "kind": "glucose",
        "value": 2.4,
        "unit": "mmol/L",
        "measured_at": (datetime.now(UTC) - timedelta(minutes=2)).isoformat(),
    }
    response = await down.post(f"/v1/patients/{pid}/readings", json=reading)
    assert response.status_code == 201, response.text
    alerts = response.json()["alerts"]
    assert alerts and all(a["notified"] is False for a in alerts)  # the live event failed
    assert await count_rows(down, ReadingRecord.__tablename__) == 1
    listed = await down.get(f"/v1/patients/{pid}/readings")
    assert listed.status_code == 200 and len(listed.json()) == 1
    staff = await staff_headers(down, "manager")
    assert (await down.get("/v1/alerts", headers=staff)).status_code == 200


class KillsRedisMidTurn:
    """The offline model, but Redis dies (kill -9) while the model is drafting."""

    def __init__(self, inner: ChatProvider, proc: subprocess.Popen[bytes]) -> None:
        self.inner, self.proc, self.name = inner, proc, "kills-redis"
        self.armed = False

    async def complete(self, request: ChatRequest) -> ChatResponse:
        if self.armed and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        return await self.inner.complete(request)


async def test_redis_lost_mid_turn_the_turn_completes_then_turns_degrade(
    make_settings: SettingsFactory, own_redis: tuple[str, subprocess.Popen[bytes]]
) -> None:
    url, proc = own_redis
    settings = make_settings(redis_url=url)
    provider = KillsRedisMidTurn(make_primary(settings), proc)
    async with running_app(settings, provider=provider) as api:
        assert (await api.get("/readyz")).json()["ready"] is True
        provider.armed = True
        cid = await _conversation(api)
        first = await api.post(f"/v1/conversations/{cid}/messages", json={"content": ORDINARY})
        assert proc.poll() is not None, "Redis was killed during the turn"
        assert first.status_code == 200, first.text
        assert first.json()["status"] in {"completed", "held"}
        messages = await _messages(api, cid)
        assert [m["role"] for m in messages] == ["patient", "assistant"]
        second = await api.post(f"/v1/conversations/{cid}/messages", json={"content": ORDINARY})
        assert second.status_code == 503 and second.headers["retry-after"] == "5"
        assert len(await _messages(api, cid)) == 2
        third = await api.post(f"/v1/conversations/{cid}/messages", json={"content": EMERGENCY})
        assert third.status_code == 200 and "120" in third.json()["reply"]
        assert await count_rows(api, Message.__tablename__) == 4
        readiness = await api.get("/readyz")
        assert readiness.status_code == 503
        assert readiness.json()["checks"]["coordination"] == "error: redis unreachable"
