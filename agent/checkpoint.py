"""Checkpointers keyed by conversation id: SQLite by default, Postgres for deployments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig

from core.crypto import decrypt_bytes, encrypt_bytes


@asynccontextmanager
async def open_checkpointer(url: str) -> AsyncIterator[Any]:
    if url.startswith(("postgresql://", "postgres://")):
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import AsyncConnectionPool

        # A pool, not one connection: a connection the server dropped is checked and replaced,
        # so a lost connection costs one turn (503, retriable), not every turn until restart.
        async with AsyncConnectionPool(
            url,
            min_size=1,
            max_size=5,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
            check=AsyncConnectionPool.check_connection,
            open=False,
        ) as pool:
            saver = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
            await saver.setup()
            yield saver
        return
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    Path(url).parent.mkdir(parents=True, exist_ok=True)
    async with AsyncSqliteSaver.from_conn_string(url) as sqlite_saver:
        await sqlite_saver.setup()
        yield sqlite_saver


class EncryptedSerde:
    """The saver's serializer with its bytes encrypted at rest (``core.crypto``; a no-op
    without keys, and checkpoints written in clear still load)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        kind, data = self.inner.dumps_typed(obj)
        return kind, encrypt_bytes(data)

    def loads_typed(self, data: tuple[str, bytes]) -> Any:
        kind, payload = data
        return self.inner.loads_typed((kind, decrypt_bytes(payload)))


def thread_config(conversation_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": conversation_id}}
