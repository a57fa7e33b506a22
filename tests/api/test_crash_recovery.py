"""A worker that died after the graph checkpointed a turn but before the reply was stored: the
client's retry (same client_message_id) stores that turn's reply without running the graph
again, so the agent's memory holds the question once, and the database one question, one reply.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from agent.checkpoint import thread_config
from api.services.agent_context import build_agent_context
from core.db.models import Message
from tests.conftest import SettingsFactory, running_app
from tools.registry import ToolContext

QUESTION = "高血压患者每天吃多少盐合适？"


@pytest.fixture
async def api(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(**backend_overrides)) as client:
        yield client


async def _crash_after_the_checkpoint(api: httpx.AsyncClient, cid: str) -> str:
    """What the dead worker did: stored the question, ran the graph (checkpoint written), died."""
    c = api.app.state.container  # type: ignore[attr-defined]
    conversation = (await api.get(f"/v1/conversations/{cid}")).json()
    async with c.sessions() as session:
        row = Message(
            conversation_id=cid,
            role="patient",
            content=QUESTION,
            client_message_id="m-1",
            turn_status="running",
        )
        session.add(row)
        await session.commit()
        message_id = row.id

    async def emit(kind: str, payload: dict[str, object]) -> None:
        return None

    context = build_agent_context(
        c,
        ToolContext(tenant_id="default", patient_id=conversation["patient_id"]),
        language="zh",
        emit=emit,
    )
    await c.graph.ainvoke(
        {"user_text": QUESTION, "message_id": message_id},
        thread_config(cid),
        context=context,
        durability="exit",
    )
    return str(message_id)


async def test_a_retry_after_a_crash_does_not_repeat_the_turn(api: httpx.AsyncClient) -> None:
    cid = (await api.post("/v1/conversations", json={})).json()["id"]
    message_id = await _crash_after_the_checkpoint(api, cid)
    retry = await api.post(
        f"/v1/conversations/{cid}/messages", json={"content": QUESTION, "client_message_id": "m-1"}
    )
    assert retry.status_code == 200, retry.text
    assert retry.json()["reply"]
    messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
    assert [m["role"] for m in messages] == ["patient", "assistant"]
    assert messages[0]["id"] == message_id and messages[0]["turn_status"] == "completed"
    c = api.app.state.container  # type: ignore[attr-defined]
    state = (await c.graph.aget_state(thread_config(cid))).values
    asked = [m for m in state["messages"] if m["role"] == "user"]
    assert len(asked) == 1, asked
    # and the conversation goes on normally
    nxt = await api.post(f"/v1/conversations/{cid}/messages", json={"content": "谢谢"})
    assert nxt.status_code == 200
    state = (await c.graph.aget_state(thread_config(cid))).values
    assert len([m for m in state["messages"] if m["role"] == "user"]) == 2
