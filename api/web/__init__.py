"""Web pages served by the API process: the patient mini-app at ``/app/`` (plain ES modules
and CSS, no build step), gzip-compressed on the way out."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

APP_DIR = Path(__file__).parent / "app"


def mount_web(app: FastAPI) -> None:
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.mount("/app", StaticFiles(directory=APP_DIR, html=True), name="patient-app")
