"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.auth import PUBLIC
from api.deps import ContainerDep

router = APIRouter(tags=["health"])


@router.get("/healthz", openapi_extra=PUBLIC)
async def read_health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", openapi_extra=PUBLIC)
async def read_readiness(c: ContainerDep) -> JSONResponse:
    checks: dict[str, Any] = {}
    try:
        async with c.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # readiness reports, it does not raise
        checks["database"] = f"error: {type(exc).__name__}"
    checks["coordination"] = "ok" if await c.coordinator.ping() else "error: redis unreachable"
    checks["knowledge"] = "ok" if c.knowledge.is_ready() else "error: no index"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        status_code=200 if ready else 503, content={"ready": ready, "checks": checks}
    )
