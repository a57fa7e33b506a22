"""Once-per-deployment start-up work (migrations, the first knowledge ingest) under a lock.

Several API workers (``hm serve --workers N``) start at the same moment on a fresh install; the
first takes the lock and does the work, the others wait on it and then find it done. The lock is
a blocking ``flock`` on ``<data_dir>/.startup.lock`` (workers of one host); on PostgreSQL the
migrations also run under a session advisory lock (workers of several hosts).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from core.errors import DependencyUnavailable

log = logging.getLogger(__name__)
MIGRATION_LOCK_ID = 7_240_512_001
"""``pg_advisory_lock`` key of this service's migrations."""


@contextmanager
def startup_lock(data_dir: Path, timeout_s: float = 600.0) -> Iterator[None]:
    """Hold the host-wide start-up lock; wait for it (bounded) if another worker has it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout_s
    with (data_dir / ".startup.lock").open("w") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DependencyUnavailable(
                        "start-up lock still held by another worker",
                        code="startup_lock_timeout",
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def postgres_migration_lock(url: str) -> Iterator[None]:
    """A session advisory lock on PostgreSQL around migrations; nothing for other databases."""
    if not url.startswith("postgresql"):
        yield
        return
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_ID,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_ID,))


@asynccontextmanager
async def startup_lock_async(data_dir: Path, timeout_s: float = 600.0) -> AsyncIterator[None]:
    """``startup_lock`` for the event loop: the wait happens in a thread."""
    lock = startup_lock(data_dir, timeout_s)
    await asyncio.to_thread(lock.__enter__)
    try:
        yield
    finally:
        lock.__exit__(None, None, None)
