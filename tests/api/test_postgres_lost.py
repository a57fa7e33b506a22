"""PostgreSQL connections killed in the middle of a turn (pg_terminate_backend while the model
drafts): the caller gets an answer or a 503 with Retry-After, never a 500; nothing is
half-done; the retry with the same client_message_id is answered once, and later turns work."""

from __future__ import annotations

import psycopg
import pytest

from agent.llm.base import ChatProvider, ChatRequest, ChatResponse
from agent.llm.factory import make_primary
from tests.conftest import SettingsFactory, running_app
from tests.helpers.services import POSTGRES_ADMIN, plain_postgres_url, temporary_postgres_database

pytestmark = pytest.mark.integration
QUESTION = "高血压患者每天吃多少盐合适？"


class CutsPostgresMidTurn:
    """The offline model; while drafting (once armed) every connection to the database dies."""

    def __init__(self, inner: ChatProvider, database: str) -> None:
        self.inner, self.database, self.name = inner, database, "cuts-postgres"
        self.armed = False

    async def complete(self, request: ChatRequest) -> ChatResponse:
        if self.armed:
            self.armed = False
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (self.database,),
                )
        return await self.inner.complete(request)


async def test_connections_lost_mid_turn(make_settings: SettingsFactory) -> None:
    with temporary_postgres_database() as url:
        settings = make_settings(database_url=url, checkpoint_url=plain_postgres_url(url))
        provider = CutsPostgresMidTurn(make_primary(settings), url.rsplit("/", 1)[-1])
        async with running_app(settings, provider=provider) as api:
            cid = (await api.post("/v1/conversations", json={})).json()["id"]
            body = {"content": QUESTION, "client_message_id": "m-1"}
            provider.armed = True
            first = await api.post(f"/v1/conversations/{cid}/messages", json=body)
            assert first.status_code in (200, 503), first.text
            if first.status_code == 503:
                assert first.headers["retry-after"]
                assert first.json()["error"]["code"] == "database_unavailable"
            retry = await api.post(f"/v1/conversations/{cid}/messages", json=body)
            assert retry.status_code == 200, retry.text
            messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
            assert [m["role"] for m in messages] == ["patient", "assistant"]
            later = await api.post(f"/v1/conversations/{cid}/messages", json={"content": "谢谢"})
            assert later.status_code == 200, later.text
            assert len((await api.get(f"/v1/conversations/{cid}")).json()["messages"]) == 4
