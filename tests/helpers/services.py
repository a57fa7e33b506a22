"""Real PostgreSQL and Redis for integration tests: unique database / key prefix, cleaned up."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ADMIN = os.environ.get(
    "HM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("HM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip when the service is absent on a developer machine; fail under CI."""
    if _reachable(host, port):
        return
    message = f"{name} not reachable on {host}:{port}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must provide it)")
    pytest.skip(message)


@contextmanager
def temporary_postgres_database() -> Iterator[str]:
    """Create a fresh database; yield its SQLAlchemy psycopg URL; drop it afterwards."""
    import psycopg

    require_service("PostgreSQL", "127.0.0.1", 5432)
    name = f"hm_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def plain_postgres_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def temporary_redis_prefix() -> Iterator[tuple[str, str]]:
    """Yield (redis_url, unique key prefix); delete every key under the prefix afterwards."""
    import redis

    require_service("Redis", "127.0.0.1", 6379)
    prefix = f"hmtest:{uuid.uuid4().hex[:10]}:"
    try:
        yield REDIS_URL, prefix
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()
