"""Turn a tool's result into a short reply; the full result travels as a card beside it.

Numbers quoted here are copied from the tool result, so the reviewer can trace every one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.llm.offline.templates import t
from core.text import Language

Summariser = Callable[[dict[str, Any], Language], str]
SUMMARISERS: dict[str, Summariser] = {}


def summariser(tool_name: str) -> Callable[[Summariser], Summariser]:
    def register(fn: Summariser) -> Summariser:
        SUMMARISERS[tool_name] = fn
        return fn

    return register


def summarise_tool_result(tool_name: str, data: dict[str, Any], language: Language) -> str:
    error = data.get("error")
    if isinstance(error, dict):
        return t("tool_error", language, message=error.get("message", ""))
    fn = SUMMARISERS.get(tool_name)
    return fn(data, language) if fn else t("card_intro", language)
