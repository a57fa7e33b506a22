"""The two request-independent dependencies: the app's container and the caller's language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.container import Container
from core.text import Language


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def get_language(request: Request) -> Language:
    """Language for error messages: ``Accept-Language`` (zh* → zh), else English."""
    accept = request.headers.get("accept-language", "").lower()
    return "zh" if accept.startswith("zh") or ",zh" in accept.replace(" ", "") else "en"


ContainerDep = Annotated[Container, Depends(get_container)]
LanguageDep = Annotated[Language, Depends(get_language)]
