"""The health manager's web console, served at ``/console/``: plain ES modules and CSS.

Everything it shows comes from the JSON API (``/v1/...``) with the signed-in account's
session cookie; the pages themselves are static and need no credential.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def mount_console(app: FastAPI) -> None:
    """``/console`` redirects to ``/console/``; ``/console/`` serves ``static/index.html``."""

    @app.get("/console", include_in_schema=False)
    async def console_root() -> RedirectResponse:
        return RedirectResponse("/console/")

    app.mount("/console/", StaticFiles(directory=STATIC, html=True), name="console")
